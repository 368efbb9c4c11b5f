package io.nines.infra.clickhouse;

import java.util.Map;
import java.util.Objects;

/**
 * One request's work for the engine.
 *
 * @param sql the statement; for an insert with a data body, the INSERT without its FORMAT clause
 * @param insertFormat the input format of {@code data}, or null when the statement carries no separate data
 * @param data the rows to insert in {@code insertFormat}; empty when there are none
 * @param outputFormat the format of the result unless the statement names one with FORMAT
 * @param database the current database while the statement runs
 * @param parameters values for {@code {name:Type}} placeholders, in ClickHouse's escaped text form
 * @param settings ClickHouse settings that apply to this statement only
 * @param readOnly whether statements that change anything must be refused
 */
record Statement(
    String sql,
    String insertFormat,
    byte[] data,
    String outputFormat,
    String database,
    Map<String, String> parameters,
    Map<String, String> settings,
    boolean readOnly) {

  Statement {
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(outputFormat, "outputFormat");
    Objects.requireNonNull(database, "database");
    parameters = Map.copyOf(parameters);
    settings = Map.copyOf(settings);
    if (database.isBlank()) {
      throw new IllegalArgumentException("database must not be blank, got '" + database + "'");
    }
  }

  boolean isInsertWithData() {
    return insertFormat != null;
  }
}
