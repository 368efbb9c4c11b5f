package io.nines.streaming.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.nines.core.schema.SchemaMigrator;
import io.nines.core.schema.SchemaOptions;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.NinesInfra;
import io.nines.streaming.late.LateSpan;
import io.nines.streaming.otlp.SpanEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code late_events} rows on our ClickHouse server through the real driver, and what makes them idempotent. */
@ExtendWith(NinesInfra.class)
class LateSpanRowsTest {

    private static final long END = Instant.parse("2026-11-29T10:15:42.123Z").toEpochMilli();
    private static final long ARRIVAL = Instant.parse("2026-11-29T10:40:00.500Z").toEpochMilli();

    @Test
    void writesEachSpanWithTheMinuteItBelongedToItsArrivalAndReason(EmbeddedClickHouse clickHouse)
            throws Exception {
        try (Connection connection = migratedDatabase(clickHouse)) {
            RowBatch<LateSpan> batch = new RowBatch<>(new LateSpanRows());
            batch.add(LateSpan.of(new SpanEvent("cart", "GET /cart", END, 12.5, true, ARRIVAL), LateSpan.Reason.LATE));
            batch.add(LateSpan.of(new SpanEvent("cart", "GET /cart", ARRIVAL + 3_600_000, 3.25, false, ARRIVAL),
                    LateSpan.Reason.FUTURE));

            batch.insertInto(connection, connection.getSchema());

            assertThat(rows(connection, "SELECT service, operation, toString(end_time), duration_ms, error,"
                    + " toString(minute), toString(arrival), reason FROM late_events FINAL ORDER BY end_time"))
                    .containsExactly(
                            List.of("cart", "GET /cart", "2026-11-29 10:15:42.123", "12.5", "true",
                                    "2026-11-29 10:15:00", "2026-11-29 10:40:00.500", "late"),
                            List.of("cart", "GET /cart", "2026-11-29 11:40:00.500", "3.25", "false",
                                    "2026-11-29 11:40:00", "2026-11-29 10:40:00.500", "future"));
            assertThat(rows(connection, "SELECT toString(delete_ttl_info_max) FROM system.parts WHERE database = '"
                    + connection.getSchema() + "' AND table = 'late_events' AND active"))
                    .as("rows expire 30 days after they arrived").containsExactly(List.of("2026-12-29 10:40:00"));
        }
    }

    @Test
    void dropsABatchSentAgainWithTheSameRows(EmbeddedClickHouse clickHouse) throws Exception {
        try (Connection connection = migratedDatabase(clickHouse)) {
            RowBatch<LateSpan> first = batchOf(late(10.0), late(20.0));
            RowBatch<LateSpan> resent = batchOf(late(10.0), late(20.0));

            first.insertInto(connection, connection.getSchema());
            resent.insertInto(connection, connection.getSchema());

            assertThat(resent.deduplicationToken()).isEqualTo(first.deduplicationToken());
            assertThat(rows(connection, "SELECT count() FROM late_events")).containsExactly(List.of("2"));
        }
    }

    @Test
    void deduplicatesByTheTokenNotByTheBlockContent(EmbeddedClickHouse clickHouse) throws Exception {
        try (Connection connection = migratedDatabase(clickHouse)) {
            String insert = "INSERT INTO " + connection.getSchema() + ".late_events (service, operation, end_time,"
                    + " duration_ms, error, minute, arrival, reason) SETTINGS insert_deduplication_token = '%s'"
                    + " VALUES ('cart', 'GET /cart', '2026-11-29 10:15:42.123', %s, false, '2026-11-29 10:15:00',"
                    + " '2026-11-29 10:40:00.500', 'late')";

            clickHouse.execute(insert.formatted("a", "1.5"));
            clickHouse.execute(insert.formatted("a", "2.5"));
            clickHouse.execute(insert.formatted("b", "1.5"));

            // Same token, other rows: dropped; same rows, other token: kept. So the token decides, and a
            // batch whose rows changed can never be mistaken for one that landed.
            assertThat(rows(connection, "SELECT duration_ms FROM late_events ORDER BY duration_ms"))
                    .containsExactly(List.of("1.5"), List.of("1.5"));
        }
    }

    @Test
    void collapsesTheSameSpansReplayedInOtherBatches(EmbeddedClickHouse clickHouse) throws Exception {
        try (Connection connection = migratedDatabase(clickHouse)) {
            batchOf(late(10.0), late(20.0)).insertInto(connection, connection.getSchema());
            batchOf(late(20.0), late(30.0)).insertInto(connection, connection.getSchema());

            assertThat(rows(connection, "SELECT count() FROM late_events")).containsExactly(List.of("4"));
            assertThat(rows(connection, "SELECT duration_ms FROM late_events FINAL ORDER BY duration_ms"))
                    .containsExactly(List.of("10.0"), List.of("20.0"), List.of("30.0"));
        }
    }

    private static LateSpan late(double millis) {
        return LateSpan.of(new SpanEvent("cart", "GET /cart", END, millis, false, ARRIVAL), LateSpan.Reason.LATE);
    }

    private static RowBatch<LateSpan> batchOf(LateSpan... spans) {
        RowBatch<LateSpan> batch = new RowBatch<>(new LateSpanRows());
        for (LateSpan span : spans) {
            batch.add(span);
        }
        return batch;
    }

    private static Connection migratedDatabase(EmbeddedClickHouse clickHouse) throws SQLException {
        String database = NinesInfra.uniqueName("late");
        clickHouse.createDatabase(database);
        Connection connection = ClickHouseOptions.of(clickHouse.jdbcUrl(database), "default", "").connect();
        new SchemaMigrator(SchemaOptions.local(database)).migrate(connection);
        return connection;
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
