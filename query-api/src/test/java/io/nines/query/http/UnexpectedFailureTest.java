package io.nines.query.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.NinesInfra;
import io.nines.query.latency.LatencyService;
import io.nines.query.storage.ClickHouse;
import io.nines.query.storage.ClickHouseSettings;
import io.nines.query.storage.Sql;
import io.nines.query.storage.StorageGuard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NinesInfra.class)
class UnexpectedFailureTest {

    @Test
    void answersABugAsAProblemWithoutTheStackTrace(EmbeddedClickHouse server) throws Exception {
        // A table whose bucket keys are text: reading it breaks an assumption of the code, as a bug would.
        String database = NinesInfra.uniqueName("broken");
        server.createDatabase(database);
        server.execute("CREATE TABLE " + database + ".latency_minute (service String, operation String,"
                + " minute DateTime('UTC'), count UInt64, errors UInt64, sum_ms Float64, buckets Map(String, UInt64),"
                + " version UInt64) ENGINE = ReplacingMergeTree(version) ORDER BY (service, operation, minute)");
        server.execute("INSERT INTO " + database + ".latency_minute VALUES"
                + " ('checkout', 'GET /', now(), 1, 0, 5, map('seven', 1), 1)");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ClickHouse clickHouse = ClickHouse.pool(new ClickHouseSettings(server.jdbcUrl(database), "default", "",
                Optional.empty()), registry)) {
            Javalin app = HttpApi.create(new LatencyService(new Sql(clickHouse.dataSource(), database,
                    new StorageGuard(Duration.ofSeconds(5), 2, registry), Duration.ofSeconds(3))), clickHouse::isReady,
                    registry, InstantSource.system()).start("127.0.0.1", 0);
            try {
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/api/v1/services/checkout/latency"))
                        .header("X-Request-Id", "bug-1").build(), HttpResponse.BodyHandlers.ofString());

                assertThat(response.statusCode()).isEqualTo(500);
                assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
                assertThat(response.body()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Internal Server Error\","
                        + "\"status\":500,\"detail\":\"the server failed to answer; the log has details under request id"
                        + " bug-1\",\"instance\":\"/api/v1/services/checkout/latency\",\"requestId\":\"bug-1\"}");
            } finally {
                app.stop();
            }
        }
    }
}
