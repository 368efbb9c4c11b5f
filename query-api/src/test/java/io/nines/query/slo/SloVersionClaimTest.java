package io.nines.query.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.NinesInfra;
import io.nines.query.storage.ClickHouse;
import io.nines.query.storage.ClickHouseSettings;
import io.nines.query.storage.Sql;
import io.nines.query.storage.StorageGuard;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The compare-and-set under every SLO change, as two API processes see it: two connection pools on one database,
 * each with its own repository, claiming versions in the real ClickHouse engine.
 */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SloVersionClaimTest {

    private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");

    private ClickHouse firstPool;
    private ClickHouse secondPool;
    private SloRepository first;
    private SloRepository second;

    @BeforeAll
    void twoProcessesOnOneDatabase(EmbeddedClickHouse server) {
        String database = NinesInfra.uniqueName("claims");
        server.createDatabase(database);
        firstPool = pool(server, database);
        firstPool.migrate(Duration.ofSeconds(30), InstantSource.system());
        secondPool = pool(server, database);
        first = new SloRepository(sql(firstPool, database));
        second = new SloRepository(sql(secondPool, database));
    }

    @AfterAll
    void close() {
        firstPool.close();
        secondPool.close();
    }

    @Test
    void secondClaimOfAVersionIsRefusedAndLeavesTheFirst() {
        assertThat(first.claim(row("taken", 1, "{\"a\":1}", NOW), "first-writer")).isTrue();
        assertThat(second.claim(row("taken", 1, "{\"b\":2}", NOW), "second-writer")).isFalse();
        // The second insert was dropped: the number is the first writer's, with its document.
        assertThat(second.lastVersion("taken")).isEqualTo(1);
        first.publish(row("taken", 1, "{\"a\":1}", NOW), "first-writer");
        assertThat(second.latest("taken")).map(SloRepository.Row::document).contains("{\"a\":1}");
    }

    @Test
    void aChangeSeesNewerVersionsInFlightOrPublishedButNotAbandonedOrStaleOnes() {
        Instant liveAfter = NOW.minus(SloService.IN_FLIGHT);
        first.claim(row("raced", 1, "{}", NOW), "w1");
        first.publish(row("raced", 1, "{}", NOW), "w1");
        assertThat(second.changedBetween("raced", 1, 3, liveAfter)).isFalse();

        SloRepository.Row inFlight = row("raced", 2, "{}", NOW);
        first.claim(inFlight, "w2");
        assertThat(second.changedBetween("raced", 1, 3, liveAfter)).isTrue();
        first.abandon(inFlight, "w2");
        assertThat(second.changedBetween("raced", 1, 3, liveAfter)).isFalse();

        first.claim(row("raced", 3, "{}", liveAfter.minusMillis(1)), "w3");
        assertThat(second.changedBetween("raced", 1, 4, liveAfter)).as("burnt long ago by a failed writer").isFalse();
        first.claim(row("raced", 4, "{}", NOW), "w4");
        first.publish(row("raced", 4, "{}", NOW), "w4");
        assertThat(second.changedBetween("raced", 1, 5, liveAfter)).isTrue();
        assertThat(second.changedBetween("raced", 4, 5, liveAfter)).isFalse();
    }

    private static SloRepository.Row row(String name, long version, String document, Instant at) {
        return new SloRepository.Row(name, "payments", "checkout", version, document, false, at, "test");
    }

    private static ClickHouse pool(EmbeddedClickHouse server, String database) {
        return ClickHouse.pool(new ClickHouseSettings(server.jdbcUrl(database), "default", "", Optional.empty()),
                new SimpleMeterRegistry());
    }

    private static Sql sql(ClickHouse pool, String database) {
        return new Sql(pool.dataSource(), database, new StorageGuard(Duration.ofSeconds(5), 2, new SimpleMeterRegistry()),
                Duration.ofSeconds(30));
    }
}
