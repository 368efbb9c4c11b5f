package io.nines.streaming.clickhouse;

import java.io.Serializable;
import java.util.List;

/**
 * How one kind of row maps onto its ClickHouse table, so batching, deduplication tokens and retries are
 * written once ({@link RowBatch}, {@link RowWriter}) for every table the job fills with whole rows.
 *
 * @param <T> the row type
 */
interface RowBinder<T> extends Serializable {

    /** The table's name, without its database. */
    String table();

    /** The inserted columns, in the order of {@link #values}. */
    List<String> columns();

    /** What identifies a row in the table (its ORDER BY key): a batch keeps the newest row per key. */
    Object key(T row);

    /** Grows with every emission of the same key, as the table's ReplacingMergeTree version does. */
    long version(T row);

    /**
     * The values to bind, one per column. Their {@code toString} goes into the deduplication token, so it
     * must be deterministic (sorted maps, no identity hashes).
     */
    List<Object> values(T row);
}
