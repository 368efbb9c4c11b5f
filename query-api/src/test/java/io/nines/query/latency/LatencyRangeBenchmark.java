package io.nines.query.latency;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.query.storage.ClickHouse;
import io.nines.query.storage.ClickHouseSettings;
import io.nines.query.storage.Sql;
import io.nines.query.storage.StorageGuard;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The latency read path over long ranges, minutes only against rollups: 400 days of minutes for a service with one
 * operation and one with twenty (12.1 million {@code latency_minute} rows, 12 buckets a minute), generated inside
 * ClickHouse; {@code GET .../latency} as {@link LatencyService} answers it (sumMap with FINAL through JDBC, then
 * p50/p99) for 7, 30, 90 and 400 days, first with nothing rolled up, then after rolling every hour and day up with
 * the stream's rollup SQL, and checks that both answers are equal. Not part of the test suite (its name does not end
 * in Test); docs/benchmarks.md has the command and the figures.
 */
final class LatencyRangeBenchmark {

    private static final Instant START = Instant.parse("2025-10-01T00:00:00Z");
    private static final int DAYS = 400;
    /** Ranges end here, at an odd minute. */
    private static final Instant END = START.plus(Duration.ofDays(DAYS)).minus(Duration.ofMinutes(137));
    /** The rollups reach 103 minutes less far, as a live range's would: its last minutes are read as minutes. */
    private static final Instant HOURS_THROUGH = START.plus(Duration.ofDays(DAYS)).minus(Duration.ofHours(4));
    private static final int RUNS = 7;

    public static void main(String[] args) throws Exception {
        try (EmbeddedClickHouse server = EmbeddedClickHouse.launch("bench-clickhouse")) {
            server.createDatabase("ranges");
            try (ClickHouse clickHouse = ClickHouse.pool(new ClickHouseSettings(server.jdbcUrl("ranges"), "default", "",
                    Optional.empty()), new SimpleMeterRegistry())) {
                clickHouse.migrate(Duration.ofSeconds(60), InstantSource.system());
                LatencyService service = new LatencyService(new Sql(clickHouse.dataSource(), "ranges",
                        new StorageGuard(Duration.ofSeconds(5), 2, new SimpleMeterRegistry()), Duration.ofMinutes(5)));
                long started = System.nanoTime();
                generate(server);
                System.out.printf("generated %s minute rows in %.0f s%n",
                        server.execute("SELECT count() FROM ranges.latency_minute").strip(), seconds(started));

                Map<String, Object> minutesOnly = time(service, "minutes only");
                started = System.nanoTime();
                rollUp(server);
                System.out.printf("rolled 400 days up into %s hour and %s day rows in %.0f s%n",
                        server.execute("SELECT count() FROM ranges.latency_hour").strip(),
                        server.execute("SELECT count() FROM ranges.latency_day").strip(), seconds(started));
                Map<String, Object> rolledUp = time(service, "with rollups");
                if (!minutesOnly.equals(rolledUp)) {
                    System.out.println("ANSWERS DIFFER: " + minutesOnly + " vs " + rolledUp);
                    System.exit(1);
                }
                System.out.println("answers with rollups equal the minute-only answers: " + minutesOnly.size());
            }
        }
    }

    /** Median and fastest of RUNS answers per service and range; returns the answers, to compare. */
    private static Map<String, Object> time(LatencyService service, String label) {
        Map<String, Object> answers = new LinkedHashMap<>();
        for (String name : List.of("one", "twenty")) {
            for (int days : new int[] {7, 30, 90, 400}) {
                LatencyQuery query = new LatencyQuery(name, Optional.empty(),
                        new TimeRange(END.minus(Duration.ofDays(days)), END), Quantiles.parse("0.5,0.99"));
                List<Double> millis = new ArrayList<>();
                LatencyStats stats = null;
                for (int run = 0; run < RUNS; run++) {
                    long started = System.nanoTime();
                    stats = service.latency(query).value();
                    millis.add((System.nanoTime() - started) / 1e6);
                }
                millis.sort(Double::compare);
                System.out.printf("%-12s %-6s %3d days: median %8.1f ms, min %8.1f ms (count %,d, p99 %.1f ms)%n",
                        label, name, days, millis.get(RUNS / 2), millis.get(0), stats.count(),
                        stats.quantiles().get("0.99"));
                answers.put(name + "/" + days, stats);
            }
        }
        return answers;
    }

    /** Every minute of 400 days: one operation of "one", twenty of "twenty"; 33 spans in 12 adjacent buckets. */
    private static void generate(EmbeddedClickHouse server) {
        String operations = "['GET /a'" + ", 'op-01', 'op-02', 'op-03', 'op-04', 'op-05', 'op-06', 'op-07', 'op-08',"
                + " 'op-09', 'op-10', 'op-11', 'op-12', 'op-13', 'op-14', 'op-15', 'op-16', 'op-17', 'op-18', 'op-19',"
                + " 'op-20']";
        for (int day = 0; day < DAYS; day += 50) {
            server.execute("INSERT INTO ranges.latency_minute SELECT if(operation = 'GET /a', 'one', 'twenty'),"
                    + " operation, toDateTime(" + START.getEpochSecond() + ", 'UTC') + number * 60, 33,"
                    + " number % 3, 1000.0, mapFromArrays(arrayMap(i -> toInt32(250 + cityHash64(number, operation)"
                    + " % 100 + i), range(12)), arrayMap(i -> toUInt64(1 + i % 5), range(12))), 1"
                    + " FROM numbers(" + (day * 1440L) + ", " + (50 * 1440L) + ") ARRAY JOIN " + operations
                    + " AS operation");
        }
    }

    /** The stream's rollup SQL (LatencyRollup), a month at a time, with its progress. */
    private static void rollUp(EmbeddedClickHouse server) {
        Instant daysThrough = HOURS_THROUGH.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        for (Instant from = START; from.isBefore(HOURS_THROUGH); from = from.plus(Duration.ofDays(31))) {
            Instant to = from.plus(Duration.ofDays(31)).isBefore(HOURS_THROUGH) ? from.plus(Duration.ofDays(31))
                    : HOURS_THROUGH;
            server.execute("INSERT INTO ranges.latency_hour SELECT service, operation, toStartOfHour(minute) AS hour,"
                    + " sum(count), sum(errors), sum(sum_ms), sumMap(buckets), 1 FROM ranges.latency_minute FINAL"
                    + " WHERE minute >= toDateTime(" + from.getEpochSecond() + ", 'UTC') AND minute < toDateTime("
                    + to.getEpochSecond() + ", 'UTC') GROUP BY service, operation, hour");
        }
        server.execute("INSERT INTO ranges.latency_day SELECT service, operation, toStartOfDay(hour) AS day,"
                + " sum(count), sum(errors), sum(sum_ms), sumMap(buckets), 1 FROM ranges.latency_hour FINAL"
                + " WHERE hour < toDateTime(" + daysThrough.getEpochSecond() + ", 'UTC') GROUP BY service, operation, day");
        server.execute("INSERT INTO ranges.rollup_progress VALUES ('latency_hour', toDateTime("
                + HOURS_THROUGH.getEpochSecond() + ", 'UTC'), now64(3)), ('latency_day', toDateTime("
                + daysThrough.getEpochSecond() + ", 'UTC'), now64(3))");
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
