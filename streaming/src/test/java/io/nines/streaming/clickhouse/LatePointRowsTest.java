package io.nines.streaming.clickhouse;

import static io.nines.streaming.testing.ClickHouseRows.cells;
import static org.assertj.core.api.Assertions.assertThat;

import io.nines.core.schema.SchemaMigrator;
import io.nines.core.schema.SchemaOptions;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.NinesInfra;
import io.nines.streaming.late.LatePoint;
import io.nines.streaming.late.LateSpan;
import io.nines.streaming.metrics.HistogramPoint;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code late_metric_points} rows on our ClickHouse server through the real driver, and their idempotence. */
@ExtendWith(NinesInfra.class)
class LatePointRowsTest {

    private static final long TIME = Instant.parse("2026-11-29T10:15:42.123Z").toEpochMilli();
    private static final long SET_ASIDE = Instant.parse("2026-11-29T10:40:00.500Z").toEpochMilli();

    @Test
    void collapsesAPointSetAsideAgainAfterAReplayInAnotherBatch(EmbeddedClickHouse clickHouse) throws Exception {
        String database = NinesInfra.uniqueName("late_points");
        clickHouse.createDatabase(database);
        try (Connection connection = ClickHouseOptions.of(clickHouse.jdbcUrl(database), "default", "").connect()) {
            new SchemaMigrator(SchemaOptions.local(database)).migrate(connection);
            RowBatch<LatePoint> first = new RowBatch<>(new LatePointRows());
            first.add(late(point(3), SET_ASIDE));
            first.add(late(point(5), SET_ASIDE));
            RowBatch<LatePoint> replayed = new RowBatch<>(new LatePointRows());
            // the replay sets the same point aside a minute later, in a batch of its own
            replayed.add(late(point(3), SET_ASIDE + 60_000));

            first.insertInto(connection, database);
            replayed.insertInto(connection, database);

            assertThat(cells(connection, "SELECT count() FROM late_metric_points")).containsExactly(List.of("3"));
            assertThat(cells(connection, "SELECT service, operation, metric, replace(series, '\\0', '|'),"
                    + " toString(start_time), toString(time), toString(minute), error, count, sum_ms,"
                    + " toString(buckets), reason FROM late_metric_points FINAL ORDER BY count"))
                    .containsExactly(
                            List.of("cart", "GET /cart", "http.server.duration", "cart|cart-1|http.server.duration|{}",
                                    "2026-11-29 10:15:32.123", "2026-11-29 10:15:42.123", "2026-11-29 10:15:00",
                                    "false", "3", "7.5", "{120:1,130:2}", "late"),
                            List.of("cart", "GET /cart", "http.server.duration", "cart|cart-1|http.server.duration|{}",
                                    "2026-11-29 10:15:32.123", "2026-11-29 10:15:42.123", "2026-11-29 10:15:00",
                                    "false", "5", "7.5", "{120:1,130:4}", "late"));
        }
    }

    private static HistogramPoint point(long count) {
        return new HistogramPoint("cart\0cart-1\0http.server.duration\0{}", "http.server.duration", "cart",
                "GET /cart", (TIME - 10_000) * 1_000_000L, TIME * 1_000_000L, false, false, count, 7.5,
                Map.of(120, 1L, 130, count - 1));
    }

    private static LatePoint late(HistogramPoint point, long setAside) {
        return new LatePoint(point, setAside, LateSpan.Reason.LATE);
    }
}
