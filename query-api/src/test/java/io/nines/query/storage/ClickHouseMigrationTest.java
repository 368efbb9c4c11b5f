package io.nines.query.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.NinesInfra;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NinesInfra.class)
class ClickHouseMigrationTest {

    @Test
    void appliesEachMigrationOnceAndCreatesTheTables(EmbeddedClickHouse server) throws Exception {
        String database = NinesInfra.uniqueName("migrate");
        ClickHouseSettings settings = new ClickHouseSettings(server.jdbcUrl(database), "default", "", Optional.empty());
        List<String> shipped = shippedMigrations();
        assertThat(shipped).startsWith("V001__latency_minute.sql", "V002__slo_definitions.sql", "V003__slo_minute.sql",
                "V004__stream_progress.sql");
        try (ClickHouse clickHouse = ClickHouse.pool(settings, new SimpleMeterRegistry())) {
            assertThat(clickHouse.migrate(Duration.ofSeconds(30), InstantSource.system())).isEqualTo(shipped);
            assertThat(clickHouse.migrate(Duration.ofSeconds(30), InstantSource.system())).isEmpty();
        }

        assertThat(server.execute("SELECT name, engine FROM system.tables WHERE database = '" + database
                + "' ORDER BY name FORMAT TSV").lines()).contains("latency_minute\tReplacingMergeTree",
                "nines_schema_migrations\tReplacingMergeTree", "slo_definitions\tReplacingMergeTree",
                "slo_minute\tReplacingMergeTree", "stream_progress\tReplacingMergeTree");
        assertThat(server.execute("SELECT name FROM " + database + ".nines_schema_migrations ORDER BY version"
                + " FORMAT TSV").lines()).isEqualTo(shipped);
    }

    private static List<String> shippedMigrations() throws IOException {
        try (InputStream index = ClickHouseMigrationTest.class.getClassLoader()
                .getResourceAsStream("db/clickhouse/migrations.txt")) {
            return new String(index.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        }
    }

    @Test
    void failsLoudlyNamingTheUrlWhenClickHouseNeverAnswers() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:clickhouse://127.0.0.1:" + closedPort + "/nines?compress=false";
        ClickHouseSettings settings = new ClickHouseSettings(url, "default", "", Optional.empty());
        try (ClickHouse clickHouse = ClickHouse.pool(settings, new SimpleMeterRegistry())) {
            assertThat(clickHouse.isReady()).isFalse();
            assertThatThrownBy(() -> clickHouse.migrate(Duration.ofSeconds(2), InstantSource.system()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("ClickHouse at " + url + " did not accept the schema migration within 2 s");
        }
    }
}
