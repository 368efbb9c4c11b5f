package io.nines.query;

import io.nines.core.latency.LatencyHistogram;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Known latencies written to {@code latency_minute} as the stream writes them: service {@code checkout} with
 * two operations over the five minutes from 11:00, a stale lower version of one minute that FINAL must hide,
 * a service {@code search} that reported only at 10:00, and a service whose name is an SQL injection attempt.
 */
final class LatencyFixture {

    static final Instant NOW = Instant.parse("2026-03-01T11:30:00Z");
    static final Instant FIRST_MINUTE = Instant.parse("2026-03-01T11:00:00Z");
    static final String SERVICE = "checkout";
    static final String POST = "POST /checkout";
    static final String GET = "GET /cart";
    static final String HOSTILE_SERVICE = "x'; DROP TABLE latency_minute; --";

    /** The raw latencies of one operation in one minute. */
    record Minute(String service, String operation, Instant minute, double[] millis, long errors) {}

    final List<Minute> minutes = new ArrayList<>();

    LatencyFixture() {
        for (int m = 0; m < 5; m++) {
            for (String operation : List.of(POST, GET)) {
                int o = operation.equals(POST) ? 0 : 1;
                Random random = new Random(m * 10L + o);
                double[] millis = new double[40 + 10 * m + 5 * o];
                for (int i = 0; i < millis.length; i++) {
                    // lognormal around 80 ms (POST) or 20 ms (GET) with a long tail
                    double median = o == 0 ? 80 : 20;
                    millis[i] = Math.round(Math.exp(Math.log(median) + 0.7 * random.nextGaussian()) * 1000) / 1000.0;
                }
                minutes.add(new Minute(SERVICE, operation, FIRST_MINUTE.plusSeconds(60L * m), millis, m + o));
            }
        }
        minutes.add(new Minute("search", "GET /q", Instant.parse("2026-03-01T10:00:00Z"), new double[] {5, 6}, 0));
        minutes.add(new Minute(HOSTILE_SERVICE, "' OR 1=1 --", FIRST_MINUTE, new double[] {1, 2, 3}, 1));
    }

    /** Writes {@code minutes} alone, each as the newest version of its minute. */
    static void insert(String jdbcUrl, List<Minute> minutes) throws SQLException {
        String sql = "INSERT INTO latency_minute (service, operation, minute, count, errors, sum_ms, buckets, version)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "default", "");
                PreparedStatement insert = connection.prepareStatement(sql)) {
            for (Minute minute : minutes) {
                bind(insert, minute, 1);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    void insert(String jdbcUrl) throws SQLException {
        String sql = "INSERT INTO latency_minute (service, operation, minute, count, errors, sum_ms, buckets, version)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "default", "")) {
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                for (Minute minute : minutes) {
                    bind(insert, minute, 2);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            // Re-emitted after the newer version, as a replay would: FINAL must still prefer version 2.
            try (PreparedStatement stale = connection.prepareStatement(sql)) {
                double[] slow = new double[1000];
                Arrays.fill(slow, 5000);
                bind(stale, new Minute(SERVICE, POST, FIRST_MINUTE.plusSeconds(120), slow, 999), 1);
                stale.executeUpdate();
            }
        }
    }

    private static void bind(PreparedStatement insert, Minute minute, long version) throws SQLException {
        LatencyHistogram histogram = new LatencyHistogram();
        Arrays.stream(minute.millis()).forEach(histogram::record);
        insert.setString(1, minute.service());
        insert.setString(2, minute.operation());
        insert.setObject(3, LocalDateTime.ofInstant(minute.minute(), ZoneOffset.UTC));
        insert.setLong(4, minute.millis().length);
        insert.setLong(5, minute.errors());
        insert.setDouble(6, Arrays.stream(minute.millis()).sum());
        insert.setObject(7, histogram.buckets());
        insert.setLong(8, version);
    }

    List<Minute> select(Predicate<Minute> filter) {
        return minutes.stream().filter(filter).toList();
    }

    static Predicate<Minute> checkout(Instant fromInclusive, Instant toExclusive) {
        return m -> m.service().equals(SERVICE) && !m.minute().isBefore(fromInclusive)
                && m.minute().isBefore(toExclusive);
    }

    static long count(List<Minute> minutes) {
        return minutes.stream().mapToLong(m -> m.millis().length).sum();
    }

    static long errors(List<Minute> minutes) {
        return minutes.stream().mapToLong(Minute::errors).sum();
    }

    /** The exact value the API's quantile approximates: rank floor(q * (n - 1)) of the sorted latencies. */
    static double exactQuantile(List<Minute> minutes, double q) {
        double[] all = minutes.stream().flatMapToDouble(m -> Arrays.stream(m.millis())).sorted().toArray();
        return all[(int) Math.floor(q * (all.length - 1))];
    }
}
