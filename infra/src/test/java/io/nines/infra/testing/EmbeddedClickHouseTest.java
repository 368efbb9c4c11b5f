package io.nines.infra.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NinesInfra.class)
class EmbeddedClickHouseTest {

    @Test
    void answersPingWithOk(EmbeddedClickHouse clickHouse) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(clickHouse.httpUrl() + "/ping")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Ok.\n");
    }

    @Test
    void keepsTablesAcrossARestartOnTheSameData(EmbeddedClickHouse clickHouse) {
        String database = NinesInfra.uniqueName("restart");
        clickHouse.createDatabase(database);
        clickHouse.execute("CREATE TABLE " + database + ".t (n UInt32) ENGINE = MergeTree ORDER BY n");
        clickHouse.execute("INSERT INTO " + database + ".t SELECT number FROM numbers(1000)");

        clickHouse.stop();
        clickHouse.start();
        System.out.println("clickhouse restarted in " + clickHouse.startupTime().toMillis() + " ms");

        assertThat(clickHouse.execute("SELECT count(), sum(n) FROM " + database + ".t FORMAT TSV"))
                .isEqualTo("1000\t499500\n");
    }

    @Test
    void jdbcUrlNamesTheDatabaseOnTheServersPort(EmbeddedClickHouse clickHouse) {
        assertThat(clickHouse.jdbcUrl("metrics"))
                .isEqualTo("jdbc:clickhouse://127.0.0.1:" + clickHouse.port() + "/metrics?compress=false");
    }
}
