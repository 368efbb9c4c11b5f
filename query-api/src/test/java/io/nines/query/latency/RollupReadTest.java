package io.nines.query.latency;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Answers read through the rollups equal the minute-only answers exactly, on our ClickHouse server: twelve days of
 * two operations' minutes with scattered buckets, hours and days rolled up as the stream rolls them, and ranges
 * that cut hours and days at odd minutes and reach past the rollups.
 */
@ExtendWith(NinesInfra.class)
class RollupReadTest {

    private static final List<String[]> RANGES = List.of(
            new String[] {"2026-10-01T07:13:00Z", "2026-10-12T16:47:00Z"},
            new String[] {"2026-10-02T23:59:30Z", "2026-10-09T00:00:01Z"},
            new String[] {"2026-10-03T00:00:00Z", "2026-10-10T00:00:00Z"},
            new String[] {"2026-10-05T10:30:00Z", "2026-10-06T14:10:00Z"},
            new String[] {"2026-10-11T04:59:00Z", "2026-10-11T05:01:00Z"});

    @Test
    void answersFromRollupsEqualTheMinuteOnlyAnswers(EmbeddedClickHouse server) throws Exception {
        String database = NinesInfra.uniqueName("rollups");
        server.createDatabase(database);
        try (ClickHouse clickHouse = ClickHouse.pool(new ClickHouseSettings(server.jdbcUrl(database), "default", "",
                Optional.empty()), new SimpleMeterRegistry())) {
            clickHouse.migrate(Duration.ofSeconds(30), InstantSource.system());
            Sql sql = new Sql(clickHouse.dataSource(), database, new StorageGuard(Duration.ofSeconds(5), 2,
                    new SimpleMeterRegistry()), Duration.ofSeconds(30));
            LatencyRepository repository = new LatencyRepository(sql, Duration.ZERO);
            LatencyService service = new LatencyService(sql, Duration.ZERO);
            writeMinutesAndRollups(server, database);

            assertThat(repository.reach()).isEqualTo(RollupReach.NONE);
            List<Object> minutesOnly = answers(repository, service);

            rollUp(server, database);

            assertThat(repository.reach()).isEqualTo(new RollupReach(
                    Optional.of(Instant.parse("2026-10-11T05:00:00Z")), Optional.of(Instant.parse("2026-10-11T00:00:00Z"))));
            List<Object> withRollups = answers(repository, service);
            assertThat(withRollups).hasSize(minutesOnly.size()).isEqualTo(minutesOnly);
            // the numbers themselves, so that equality cannot come from two empty answers
            assertThat(minutesOnly.get(0)).isEqualTo(List.of(98_484L, 16_414L, 98_484L, 250));
        }
    }

    /** Totals over every range with and without an operation, and series, heatmaps and quantiles over two. */
    private static List<Object> answers(LatencyRepository repository, LatencyService service) {
        List<Object> answers = new ArrayList<>();
        for (String[] range : RANGES) {
            for (Optional<String> operation : List.of(Optional.<String>empty(), Optional.of("GET /cart"))) {
                LatencyRepository.Aggregate total = repository.total(query(range, operation), Source.SPANS);
                answers.add(List.of(total.count(), total.errors(),
                        total.histogram().buckets().values().stream().mapToLong(Long::longValue).sum(),
                        total.histogram().buckets().size()));
                answers.add(total.histogram().buckets());
            }
        }
        // Whole days from a whole day: hour steps read hours, day steps days; from 07:13 they read minutes.
        LatencyQuery days = query(RANGES.get(2), Optional.empty());
        LatencyQuery cut = query(RANGES.get(0), Optional.of("GET /cart"));
        answers.add(service.series(new SeriesQuery(days, Duration.ofHours(1))).value());
        answers.add(service.series(new SeriesQuery(days, Duration.ofDays(1))).value());
        answers.add(service.series(new SeriesQuery(cut, Duration.ofDays(1))).value());
        answers.add(service.heatmap(new HeatmapQuery(days, Duration.ofDays(1), 30)).value());
        answers.add(service.latency(cut).value());
        return answers;
    }

    private static LatencyQuery query(String[] range, Optional<String> operation) {
        return new LatencyQuery("checkout", operation, new TimeRange(Instant.parse(range[0]), Instant.parse(range[1])),
                Quantiles.parse("0.5,0.99,1"));
    }

    /**
     * Minutes of 2026-10-01 to 2026-10-12: minute n of an operation has n % 3 + 2 spans, one in a bucket scattered
     * over 0..199 and the rest in one over 200..249, and n % 2 errors; plus a stale lower version that FINAL hides.
     */
    private static void writeMinutesAndRollups(EmbeddedClickHouse server, String database) {
        server.execute("INSERT INTO " + database + ".latency_minute SELECT 'checkout', operation,"
                + " toDateTime('2026-10-01 00:00:00', 'UTC') + number * 60, number % 3 + 2, number % 2, 1.5 * number,"
                + " map(toInt32(cityHash64(number, operation) % 200), toUInt64(1),"
                + " toInt32(200 + cityHash64(operation, number) % 50), toUInt64(number % 3 + 1)), 2"
                + " FROM numbers(17280) ARRAY JOIN ['POST /checkout', 'GET /cart'] AS operation");
        server.execute("INSERT INTO " + database + ".latency_minute VALUES ('checkout', 'GET /cart',"
                + " '2026-10-04 12:00:00', 1000, 1000, 1.0, map(7, 1000), 1)");
    }

    /** Hours until 2026-10-11 05:00 and days until 2026-10-11, with the SQL of the stream's rollup. */
    private static void rollUp(EmbeddedClickHouse server, String database) {
        server.execute("INSERT INTO " + database + ".latency_hour SELECT service, operation, toStartOfHour(minute) AS"
                + " hour, sum(count), sum(errors), sum(sum_ms), sumMap(buckets), 1 FROM " + database
                + ".latency_minute FINAL WHERE minute < '2026-10-11 05:00:00' GROUP BY service, operation, hour");
        server.execute("INSERT INTO " + database + ".latency_day SELECT service, operation, toStartOfDay(hour) AS"
                + " day, sum(count), sum(errors), sum(sum_ms), sumMap(buckets), 1 FROM " + database
                + ".latency_hour FINAL WHERE hour < '2026-10-11 00:00:00' GROUP BY service, operation, day");
        server.execute("INSERT INTO " + database + ".rollup_progress VALUES"
                + " ('latency_hour', '2026-10-11 05:00:00', now64(3)), ('latency_day', '2026-10-11 00:00:00', now64(3))");
    }
}
