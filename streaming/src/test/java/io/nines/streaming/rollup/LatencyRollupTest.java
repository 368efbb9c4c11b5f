package io.nines.streaming.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nines.core.schema.SchemaMigrator;
import io.nines.core.schema.SchemaOptions;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.NinesInfra;
import io.nines.streaming.clickhouse.ClickHouseOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rollup on our ClickHouse server through the real driver. Two operations of {@code checkout} report every
 * minute from 2026-11-27 22:30 to 2026-11-29 01:30; minute n (counted from 22:30) holds 3 spans: one in bucket
 * n % 4 and two in bucket 100, and n % 2 errors. So a whole hour of one operation is 180 spans, 30 errors and
 * buckets {0:15, 1:15, 2:15, 3:15, 100:120}.
 */
@ExtendWith(NinesInfra.class)
class LatencyRollupTest {

    private static final Duration LATENESS = Duration.ofMinutes(10);
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-11-29T02:00:00Z"));

    @Test
    void rollsEachClosedHourAndWholeDayFromTheNewestMinutes(EmbeddedClickHouse clickHouse) throws Exception {
        String database = migrated(clickHouse);
        writeMinutes(clickHouse, database);
        watermark(clickHouse, database, "2026-11-29 01:09:59.999");
        LatencyRollup rollup = rollup(clickHouse, database, new SimpleMeterRegistry());

        rollup.rollClosed();

        // 01:09:59.999 minus 10 minutes is before 01:00: the hour from 00:00 may still change, so it waits.
        assertThat(progress(clickHouse, database)).isEqualTo("latency_day\t2026-11-29 00:00:00\n"
                + "latency_hour\t2026-11-29 00:00:00\n");
        assertThat(clickHouse.execute("SELECT operation, toString(hour), count, errors, toString(buckets) FROM "
                + database + ".latency_hour FINAL WHERE hour IN ('2026-11-27 22:00:00', '2026-11-28 12:00:00')"
                + " ORDER BY operation, hour FORMAT TSV")).isEqualTo(""
                + "GET /cart\t2026-11-27 22:00:00\t90\t15\t{0:8,1:8,2:7,3:7,100:60}\n"
                + "GET /cart\t2026-11-28 12:00:00\t180\t30\t{0:15,1:15,2:15,3:15,100:120}\n"
                + "POST /checkout\t2026-11-27 22:00:00\t90\t15\t{0:8,1:8,2:7,3:7,100:60}\n"
                + "POST /checkout\t2026-11-28 12:00:00\t180\t30\t{0:15,1:15,2:15,3:15,100:120}\n");
        assertThat(clickHouse.execute("SELECT count(), max(hour), sum(count) FROM " + database
                + ".latency_hour FINAL FORMAT TSV")).isEqualTo("52\t2026-11-28 23:00:00\t9180\n");
        assertThat(clickHouse.execute("SELECT operation, toString(day), count, errors, toString(buckets) FROM "
                + database + ".latency_day FINAL ORDER BY operation, day FORMAT TSV")).isEqualTo(""
                + "GET /cart\t2026-11-27 00:00:00\t270\t45\t{0:23,1:23,2:22,3:22,100:180}\n"
                + "GET /cart\t2026-11-28 00:00:00\t4320\t720\t{0:360,1:360,2:360,3:360,100:2880}\n"
                + "POST /checkout\t2026-11-27 00:00:00\t270\t45\t{0:23,1:23,2:22,3:22,100:180}\n"
                + "POST /checkout\t2026-11-28 00:00:00\t4320\t720\t{0:360,1:360,2:360,3:360,100:2880}\n");

        watermark(clickHouse, database, "2026-11-29 01:10:00.000");
        rollup.rollClosed();

        assertThat(progress(clickHouse, database)).isEqualTo("latency_day\t2026-11-29 00:00:00\n"
                + "latency_hour\t2026-11-29 01:00:00\n");
        assertThat(clickHouse.execute("SELECT count(), max(hour), sum(count) FROM " + database
                + ".latency_hour FINAL FORMAT TSV")).isEqualTo("54\t2026-11-29 00:00:00\t9540\n");
    }

    @Test
    void givesTheSameSumsWhenARangeIsRolledAgainAfterACrashBeforeItsProgress(EmbeddedClickHouse clickHouse)
            throws Exception {
        String database = migrated(clickHouse);
        writeMinutes(clickHouse, database);
        watermark(clickHouse, database, "2026-11-29 01:10:00.000");
        LatencyRollup rollup = rollup(clickHouse, database, new SimpleMeterRegistry());
        // Background merges would collapse duplicates on their own time; stopped, the raw rows say what landed.
        clickHouse.execute("SYSTEM STOP MERGES " + database + ".latency_hour");
        rollup.rollClosed();
        String hours = clickHouse.execute("SELECT * FROM " + database + ".latency_hour FINAL ORDER BY ALL FORMAT TSV");
        String days = clickHouse.execute("SELECT * FROM " + database + ".latency_day FINAL ORDER BY ALL FORMAT TSV");

        // As if the process died after the rows and before their progress: the same range is rolled again.
        clickHouse.execute("TRUNCATE TABLE " + database + ".rollup_progress");
        rollup.rollClosed();

        assertThat(clickHouse.execute("SELECT count() FROM " + database + ".latency_hour FORMAT TSV"))
                .as("the same watermark gives the same tokens: the inserts are dropped").isEqualTo("54\n");
        assertThat(progress(clickHouse, database)).isEqualTo("latency_day\t2026-11-29 00:00:00\n"
                + "latency_hour\t2026-11-29 01:00:00\n");

        // With a newer watermark the range is recomputed under a higher version, which replaces the old rows.
        clickHouse.execute("TRUNCATE TABLE " + database + ".rollup_progress");
        watermark(clickHouse, database, "2026-11-29 01:11:00.000");
        rollup.rollClosed();

        assertThat(clickHouse.execute("SELECT count() FROM " + database + ".latency_hour FORMAT TSV"))
                .isEqualTo("108\n");
        assertThat(clickHouse.execute("SELECT service, operation, hour, count, errors, sum_ms, buckets FROM "
                + database + ".latency_hour FINAL ORDER BY ALL FORMAT TSV"))
                .isEqualTo(hours.lines().map(LatencyRollupTest::withoutVersion)
                        .map(line -> line + "\n").reduce("", String::concat));
        assertThat(clickHouse.execute("SELECT max(version) FROM " + database + ".latency_day FINAL FORMAT TSV"))
                .isEqualTo(Instant.parse("2026-11-29T01:11:00Z").toEpochMilli() + "\n");
        assertThat(clickHouse.execute("SELECT service, operation, day, count, errors, sum_ms, buckets FROM "
                + database + ".latency_day FINAL ORDER BY ALL FORMAT TSV"))
                .isEqualTo(days.lines().map(LatencyRollupTest::withoutVersion)
                        .map(line -> line + "\n").reduce("", String::concat));
    }

    @Test
    void countsAFailedPassAndRollsUpAtALaterTick(EmbeddedClickHouse clickHouse) throws Exception {
        String database = NinesInfra.uniqueName("rollup");
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (LatencyRollup rollup = rollup(clickHouse, database, metrics)) {
            rollup.start(Duration.ofMillis(100));

            // No database yet: every pass fails, and the rollup keeps trying.
            await().atMost(Duration.ofSeconds(10)).until(() -> metrics.counter("nines.rollup.failures").count() >= 2);

            clickHouse.createDatabase(database);
            migrate(clickHouse, database);
            writeMinutes(clickHouse, database);
            watermark(clickHouse, database, "2026-11-29 01:10:00.000");

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(progress(clickHouse, database))
                    .isEqualTo("latency_day\t2026-11-29 00:00:00\nlatency_hour\t2026-11-29 01:00:00\n"));
            assertThat(metrics.counter("nines.rollup.periods", "table", "latency_hour").count()).isEqualTo(49);
            assertThat(metrics.counter("nines.rollup.periods", "table", "latency_day").count()).isEqualTo(2);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.getName().equals("latency-rollup"));
    }

    private static String withoutVersion(String line) {
        return line.substring(0, line.lastIndexOf('\t'));
    }

    private static LatencyRollup rollup(EmbeddedClickHouse clickHouse, String database, SimpleMeterRegistry metrics) {
        return new LatencyRollup(ClickHouseOptions.of(clickHouse.jdbcUrl(database), "default", ""), "nines-streaming",
                CLOCK, metrics);
    }

    private static String migrated(EmbeddedClickHouse clickHouse) throws SQLException {
        String database = NinesInfra.uniqueName("rollup");
        clickHouse.createDatabase(database);
        migrate(clickHouse, database);
        return database;
    }

    private static void migrate(EmbeddedClickHouse clickHouse, String database) throws SQLException {
        try (Connection connection = ClickHouseOptions.of(clickHouse.jdbcUrl(database), "default", "").connect()) {
            new SchemaMigrator(SchemaOptions.local(database)).migrate(connection);
        }
    }

    /** 1620 minutes of both operations, and a stale lower version of one minute that FINAL must hide. */
    private static void writeMinutes(EmbeddedClickHouse clickHouse, String database) {
        clickHouse.execute("INSERT INTO " + database + ".latency_minute SELECT 'checkout', operation,"
                + " toDateTime('2026-11-27 22:30:00', 'UTC') + number * 60, 3, number % 2, 3.0 * number,"
                + " map(toInt32(number % 4), toUInt64(1), toInt32(100), toUInt64(2)), 2"
                + " FROM numbers(1620) ARRAY JOIN ['POST /checkout', 'GET /cart'] AS operation");
        clickHouse.execute("INSERT INTO " + database + ".latency_minute VALUES ('checkout', 'GET /cart',"
                + " '2026-11-28 12:00:00', 1000, 1000, 1.0, map(7, 1000), 1)");
    }

    /** What the job's progress sink writes: the watermark, and final_until the allowed lateness behind it. */
    private static void watermark(EmbeddedClickHouse clickHouse, String database, String watermark) {
        clickHouse.execute("INSERT INTO " + database + ".stream_progress (job, watermark, final_until, updated_at)"
                + " SELECT 'nines-streaming', w, w - toIntervalMillisecond(" + LATENESS.toMillis() + "), now64(3)"
                + " FROM (SELECT toDateTime64('" + watermark + "', 3, 'UTC') AS w)");
    }

    private static String progress(EmbeddedClickHouse clickHouse, String database) {
        return clickHouse.execute("SELECT rollup_table, toString(max(through)) FROM " + database
                + ".rollup_progress GROUP BY rollup_table ORDER BY rollup_table FORMAT TSV");
    }
}
