package io.nines.infra.clickhouse;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * The part of libchdb's C API (chdb.h, 26.7) the server uses. {@code size_t} is mapped to {@code long}: the
 * library only ships for 64-bit Linux. Strings go in as byte arrays with explicit lengths so that binary data
 * and NUL bytes pass through unchanged.
 */
interface ChdbLibrary extends Library {

  /** Must run before {@link #chdb_connect}: the JVM owns the process's signal handlers. */
  void chdb_set_signal_handlers_enabled(int enabled);

  String chdb_version();

  /** Returns a {@code chdb_connection*} (a pointer to the connection handle), or null. */
  Pointer chdb_connect(int argc, String[] argv);

  void chdb_close_conn(Pointer connectionHandle);

  Pointer chdb_query_n(Pointer connection, byte[] query, long queryLength, byte[] format, long formatLength);

  Pointer chdb_query_with_params_n(
      Pointer connection,
      byte[] query,
      long queryLength,
      byte[] format,
      long formatLength,
      Pointer[] names,
      long[] nameLengths,
      Pointer[] values,
      long[] valueLengths,
      long count);

  /**
   * Fills {@code analysis} (chdb_query_analysis_v1: struct_size, statement_count, flags, query_class) with what
   * ClickHouse's own parser says about a statement; returns 0 on success.
   */
  int chdb_classify_query_n(
      Pointer connection, byte[] query, long queryLength, byte[] database, long databaseLength, int[] analysis);

  Pointer chdb_stream_insert_with_params_n(
      Pointer connection,
      byte[] query,
      long queryLength,
      byte[] format,
      long formatLength,
      Pointer[] names,
      long[] nameLengths,
      Pointer[] values,
      long[] valueLengths,
      long count);

  String chdb_stream_insert_error(Pointer stream);

  int chdb_stream_append(Pointer stream, byte[] data, long length);

  Pointer chdb_stream_done(Pointer stream);

  void chdb_destroy_insert_stream(Pointer stream);

  Pointer chdb_result_buffer(Pointer result);

  long chdb_result_length(Pointer result);

  long chdb_result_rows_read(Pointer result);

  long chdb_result_bytes_read(Pointer result);

  long chdb_result_storage_rows_read(Pointer result);

  long chdb_result_storage_bytes_read(Pointer result);

  long chdb_result_rows_written(Pointer result);

  long chdb_result_bytes_written(Pointer result);

  double chdb_result_elapsed(Pointer result);

  String chdb_result_error(Pointer result);

  void chdb_destroy_query_result(Pointer result);
}
