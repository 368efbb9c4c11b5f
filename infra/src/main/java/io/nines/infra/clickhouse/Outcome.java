package io.nines.infra.clickhouse;

/** What a statement produced: the result bytes in the requested format and the figures for X-ClickHouse-Summary. */
record Outcome(
    byte[] body,
    long readRows,
    long readBytes,
    long writtenRows,
    long writtenBytes,
    long resultRows,
    long resultBytes,
    long elapsedNanos) {

  /** The summary header as ClickHouse writes it: every figure a JSON string. */
  String summaryJson() {
    return "{\"read_rows\":\"" + readRows
        + "\",\"read_bytes\":\"" + readBytes
        + "\",\"written_rows\":\"" + writtenRows
        + "\",\"written_bytes\":\"" + writtenBytes
        + "\",\"total_rows_to_read\":\"" + readRows
        + "\",\"result_rows\":\"" + resultRows
        + "\",\"result_bytes\":\"" + resultBytes
        + "\",\"elapsed_ns\":\"" + elapsedNanos
        + "\"}";
  }
}
