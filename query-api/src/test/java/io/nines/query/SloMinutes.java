package io.nines.query;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Rows of {@code slo_minute} as the stream writes them, and the sums a reader with FINAL must see, computed
 * here in plain Java as the independent side of every comparison.
 */
final class SloMinutes {

    record Row(String slo, String group, Instant minute, long good, long total, long version) {}

    /** Good and total events, and what follows from them by the definitions in docs/architecture.md. */
    record Sums(long good, long total) {
        long bad() {
            return total - good;
        }

        Double sli() {
            return total == 0 ? null : (double) good / total;
        }

        double burnRate(double target) {
            return total == 0 ? 0 : ((double) bad() / total) / (1 - target);
        }

        double remaining(double target) {
            return total == 0 ? 1 : 1 - bad() / ((1 - target) * total);
        }
    }

    private final List<Row> rows = new ArrayList<>();

    SloMinutes add(String slo, String group, Instant minute, long good, long total, long version) {
        rows.add(new Row(slo, group, minute, good, total, version));
        return this;
    }

    SloMinutes add(String slo, Instant minute, long good, long total) {
        return add(slo, "", minute, good, total, 1);
    }

    /** Writes the rows in the order they were added, as separate inserts, like re-emissions would come. */
    void insert(String jdbcUrl) throws SQLException {
        String sql = "INSERT INTO slo_minute (slo, group_value, minute, good, total, version) VALUES (?, ?, ?, ?, ?, ?)";
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "default", "");
                PreparedStatement insert = connection.prepareStatement(sql)) {
            for (Row row : rows) {
                insert.setString(1, row.slo());
                insert.setString(2, row.group());
                insert.setObject(3, LocalDateTime.ofInstant(row.minute(), ZoneOffset.UTC));
                insert.setLong(4, row.good());
                insert.setLong(5, row.total());
                insert.setLong(6, row.version());
                insert.executeUpdate();
            }
        }
    }

    /** The newest version of each minute of {@code slo} that starts within [from, to). */
    List<Row> current(String slo, Instant from, Instant to) {
        Map<List<Object>, Row> newest = rows.stream()
                .filter(row -> row.slo().equals(slo) && !row.minute().isBefore(from) && row.minute().isBefore(to))
                .collect(Collectors.toMap(row -> List.of(row.group(), row.minute()), Function.identity(),
                        (a, b) -> a.version() >= b.version() ? a : b));
        return newest.values().stream().sorted(Comparator.comparing(Row::minute)).toList();
    }

    Sums sum(String slo, Instant from, Instant to) {
        return sum(current(slo, from, to));
    }

    Sums sum(String slo, String group, Instant from, Instant to) {
        return sum(current(slo, from, to).stream().filter(row -> row.group().equals(group)).toList());
    }

    static Sums sum(List<Row> rows) {
        return new Sums(rows.stream().mapToLong(Row::good).sum(), rows.stream().mapToLong(Row::total).sum());
    }

    static Instant minus(Instant instant, String duration) {
        return instant.minus(Duration.parse(duration));
    }
}
