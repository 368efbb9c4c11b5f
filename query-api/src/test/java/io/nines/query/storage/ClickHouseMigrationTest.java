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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    @Test
    void refusesToStartWhenAnAppliedMigrationWasEditedSinceAndNamesIt(EmbeddedClickHouse server) throws Exception {
        String database = NinesInfra.uniqueName("edited");
        ClickHouseSettings settings = new ClickHouseSettings(server.jdbcUrl(database), "default", "", Optional.empty());
        try (ClickHouse clickHouse = ClickHouse.pool(settings, new SimpleMeterRegistry())) {
            clickHouse.migrate(Duration.ofSeconds(30), InstantSource.system());
            // what the bookkeeping holds once somebody edits V003 after it ran: another checksum, recorded later
            server.execute("INSERT INTO " + database + ".nines_schema_migrations (version, name, checksum, applied_at)"
                    + " VALUES (3, 'V003__slo_minute.sql', 'edited', now64(3) + 1)");

            assertThatThrownBy(() -> clickHouse.migrate(Duration.ofSeconds(5), InstantSource.system()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("migration V003__slo_minute.sql changed after it was applied; add a new"
                            + " migration instead of editing it");
        }
    }

    @Test
    void processesMigratingTheSameDatabaseAtOnceLeaveOneCorrectSchema(EmbeddedClickHouse server) throws Exception {
        String database = NinesInfra.uniqueName("concurrent");
        ClickHouseSettings settings = new ClickHouseSettings(server.jdbcUrl(database), "default", "", Optional.empty());
        List<String> shipped = shippedMigrations();
        ExecutorService processes = Executors.newFixedThreadPool(3);
        try (ClickHouse first = ClickHouse.pool(settings, new SimpleMeterRegistry());
                ClickHouse second = ClickHouse.pool(settings, new SimpleMeterRegistry());
                ClickHouse third = ClickHouse.pool(settings, new SimpleMeterRegistry())) {
            List<Future<List<String>>> applied = processes.invokeAll(List.of(
                    () -> first.migrate(Duration.ofSeconds(60), InstantSource.system()),
                    () -> second.migrate(Duration.ofSeconds(60), InstantSource.system()),
                    () -> third.migrate(Duration.ofSeconds(60), InstantSource.system())));
            for (Future<List<String>> each : applied) {
                assertThat(shipped).containsAll(each.get());
            }
            // whoever applied what, afterwards every migration is recorded and nothing is left to apply
            assertThat(first.migrate(Duration.ofSeconds(30), InstantSource.system())).isEmpty();
        } finally {
            processes.shutdownNow();
        }
        assertThat(server.execute("SELECT DISTINCT name FROM " + database + ".nines_schema_migrations ORDER BY name"
                + " FORMAT TSV").lines()).isEqualTo(shipped);
        assertThat(server.execute("SELECT count() FROM system.tables WHERE database = '" + database
                + "' AND name IN ('latency_minute', 'slo_minute', 'alert_events', 'late_events') FORMAT TSV").strip())
                .isEqualTo("4");
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
