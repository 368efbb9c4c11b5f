package io.nines.query.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.NinesInfra;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the guard retries and what it counts against ClickHouse, with the real engine's own errors. */
@ExtendWith(NinesInfra.class)
class StorageGuardTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StorageGuard guard = new StorageGuard(Duration.ofSeconds(5), 3, registry);
    private ClickHouse clickHouse;
    private Sql sql;

    @BeforeEach
    void connect(EmbeddedClickHouse server) {
        String database = NinesInfra.uniqueName("guard");
        server.createDatabase(database);
        clickHouse = ClickHouse.pool(new ClickHouseSettings(server.jdbcUrl(database), "default", "", Optional.empty()),
                registry);
        sql = new Sql(clickHouse.dataSource(), database, guard, Duration.ofSeconds(1));
        // A pooled connection before counting: opening the first one is not what these tests are about.
        assertThat(sql.query("SELECT 1", List.of(), rows -> rows.getInt(1))).containsExactly(1);
    }

    @AfterEach
    void close() {
        clickHouse.close();
    }

    private double retries(String kind) {
        return registry.get("resilience4j.retry.calls").tag("name", "clickhouse-reads").tag("kind", kind)
                .functionCounter().count();
    }

    private double breakerCalls(String kind) {
        return registry.get("resilience4j.circuitbreaker.calls").tag("name", "clickhouse").tag("kind", kind)
                .timer().count();
    }

    @Test
    void sqlErrorsAreNeitherRetriedNorCountedAgainstClickHouse() {
        // Code 47 (unknown identifier) and 60 (unknown table): answers, which say nothing about ClickHouse's health.
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> sql.query("SELECT no_such_column FROM system.one", List.of(), rows -> 1))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("Code: 47");
            assertThatThrownBy(() -> sql.query("SELECT 1 FROM " + sql.table("no_such_table"), List.of(), rows -> 1))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("Code: 60");
        }

        assertThat(retries("failed_without_retry")).isEqualTo(8);
        assertThat(retries("failed_with_retry")).isZero();
        assertThat(breakerCalls("failed")).isZero();
        assertThat(guard.state()).isEqualTo("CLOSED");
    }

    @Test
    void aQueryOverItsTimeoutIsTriedOnceAndCountsAgainstClickHouse() {
        double successfulBefore = breakerCalls("successful");
        long started = System.nanoTime();
        assertThatThrownBy(() -> sql.query("SELECT sleep(2.5)", List.of(), rows -> 1))
                .isInstanceOf(StorageUnavailableException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // One attempt ended by the server at the 1 s query timeout (TIMEOUT_EXCEEDED), not retried by us or by the
        // driver (which used to repeat it and wait out the 2.5 s sleep).
        assertThat(took).isLessThan(Duration.ofMillis(2400));
        assertThat(retries("failed_without_retry")).isEqualTo(1);
        assertThat(retries("failed_with_retry")).isZero();
        assertThat(breakerCalls("failed")).isEqualTo(1);
        assertThat(breakerCalls("successful")).isEqualTo(successfulBefore);
        assertThat(guard.state()).isEqualTo("CLOSED");
    }
}
