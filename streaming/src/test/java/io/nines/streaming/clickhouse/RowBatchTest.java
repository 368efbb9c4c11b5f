package io.nines.streaming.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.nines.core.schema.SchemaMigrator;
import io.nines.core.schema.SchemaOptions;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.NinesInfra;
import io.nines.streaming.latency.LatencyMinute;
import io.nines.streaming.slo.SloMinute;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NinesInfra.class)
class RowBatchTest {

    private static final long MINUTE = Instant.parse("2026-11-29T10:15:00Z").toEpochMilli();

    @Test
    void writesRowsThatReadBackWithTheirMinuteAndBuckets(EmbeddedClickHouse clickHouse) throws Exception {
        try (Connection connection = migratedDatabase(clickHouse)) {
            RowBatch<LatencyMinute> batch = latencyBatch();
            batch.add(minute("checkout", "POST /checkout", 3, 1, Map.of(-5, 1L, 120, 2L)));
            batch.add(minute("cart", "GET /cart", 1, 0, Map.of(Integer.MIN_VALUE, 1L)));

            batch.insertInto(connection, database(connection));

            assertThat(rows(connection, "SELECT service, operation, toUnixTimestamp(minute), count, errors, sum_ms,"
                    + " toString(buckets), version FROM latency_minute FINAL ORDER BY service"))
                    .containsExactly(
                            List.of("cart", "GET /cart", String.valueOf(MINUTE / 1000), "1", "0", "12.5",
                                    "{-2147483648:1}", "1"),
                            List.of("checkout", "POST /checkout", String.valueOf(MINUTE / 1000), "3", "1", "12.5",
                                    "{-5:1,120:2}", "3"));
        }
    }

    @Test
    void dropsABatchSentAgainWithTheSameRows(EmbeddedClickHouse clickHouse) throws Exception {
        try (Connection connection = migratedDatabase(clickHouse)) {
            String database = database(connection);
            RowBatch<LatencyMinute> first = latencyBatch();
            first.add(minute("checkout", "POST /checkout", 3, 1, Map.of(120, 3L)));
            RowBatch<LatencyMinute> resent = latencyBatch();
            resent.add(minute("checkout", "POST /checkout", 3, 1, Map.of(120, 3L)));
            // Without merges, one physical row can only mean the second insert was dropped, not merged away.
            try (Statement statement = connection.createStatement()) {
                statement.execute("SYSTEM STOP MERGES latency_minute");
            }

            first.insertInto(connection, database);
            resent.insertInto(connection, database);

            assertThat(resent.deduplicationToken()).isEqualTo(first.deduplicationToken());
            assertThat(rows(connection, "SELECT count() FROM latency_minute")).containsExactly(List.of("1"));
        }
    }

    @Test
    void newerEmissionOfAMinuteReplacesTheOlderOne(EmbeddedClickHouse clickHouse) throws Exception {
        try (Connection connection = migratedDatabase(clickHouse)) {
            String database = database(connection);
            RowBatch<LatencyMinute> early = latencyBatch();
            early.add(minute("checkout", "POST /checkout", 3, 1, Map.of(120, 3L)));
            RowBatch<LatencyMinute> later = latencyBatch();
            later.add(minute("checkout", "POST /checkout", 5, 2, Map.of(120, 4L, 130, 1L)));

            later.insertInto(connection, database);
            early.insertInto(connection, database);

            assertThat(rows(connection, "SELECT count, errors, toString(buckets) FROM latency_minute FINAL"))
                    .containsExactly(List.of("5", "2", "{120:4,130:1}"));
        }
    }

    @Test
    void keepsOnlyTheNewestEmissionOfAMinuteWithinABatch() {
        RowBatch<LatencyMinute> batch = latencyBatch();
        batch.add(minute("checkout", "POST /checkout", 3, 1, Map.of(120, 3L)));
        batch.add(minute("checkout", "POST /checkout", 5, 1, Map.of(120, 5L)));
        batch.add(minute("checkout", "POST /checkout", 4, 1, Map.of(120, 4L)));
        RowBatch<LatencyMinute> newestOnly = latencyBatch();
        newestOnly.add(minute("checkout", "POST /checkout", 5, 1, Map.of(120, 5L)));

        assertThat(batch.size()).isEqualTo(1);
        assertThat(batch.deduplicationToken()).isEqualTo(newestOnly.deduplicationToken());
    }

    @Test
    void writesSloMinutesThatReadBackWithTheirGroupAndTheNewestVersion(EmbeddedClickHouse clickHouse) throws Exception {
        try (Connection connection = migratedDatabase(clickHouse)) {
            RowBatch<SloMinute> early = new RowBatch<>(new SloMinuteRows());
            early.add(new SloMinute("search-routes", "/search", MINUTE, 3, 4));
            early.add(new SloMinute("checkout-latency", "", MINUTE, 1, 1));
            RowBatch<SloMinute> later = new RowBatch<>(new SloMinuteRows());
            later.add(new SloMinute("search-routes", "/search", MINUTE, 5, 7));

            later.insertInto(connection, database(connection));
            early.insertInto(connection, database(connection));

            assertThat(rows(connection, "SELECT slo, group_value, toUnixTimestamp(minute), good, total, version"
                    + " FROM slo_minute FINAL ORDER BY slo"))
                    .containsExactly(
                            List.of("checkout-latency", "", String.valueOf(MINUTE / 1000), "1", "1", "1"),
                            List.of("search-routes", "/search", String.valueOf(MINUTE / 1000), "5", "7", "7"));
        }
    }

    private static RowBatch<LatencyMinute> latencyBatch() {
        return new RowBatch<>(new LatencyMinuteRows());
    }

    private static LatencyMinute minute(String service, String operation, long count, long errors,
                                        Map<Integer, Long> buckets) {
        return new LatencyMinute(service, operation, MINUTE, count, errors, 12.5, buckets);
    }

    private static Connection migratedDatabase(EmbeddedClickHouse clickHouse) throws SQLException {
        String database = NinesInfra.uniqueName("latency");
        clickHouse.createDatabase(database);
        Connection connection = ClickHouseOptions.of(clickHouse.jdbcUrl(database), "default", "").connect();
        new SchemaMigrator(SchemaOptions.local(database)).migrate(connection);
        return connection;
    }

    private static String database(Connection connection) throws SQLException {
        return connection.getSchema();
    }

    private static List<List<String>> rows(Connection connection, String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(result.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
