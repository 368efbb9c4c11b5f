package io.nines.core.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a database was migrated for one ClickHouse node or for a cluster, and which one, so that a process
 * configured for the other shape stops instead of mixing plain and replicated tables (migrations are recorded
 * by version only: the other shape would skip them as applied).
 *
 * <p>Two facts tell the shape: the engine of {@code nines_schema_migrations} ({@code Replicated*} on a
 * cluster), which holds for every database, and the {@code cluster} column of its rows ({@code ''} on one
 * node, the cluster name on a cluster), recorded since the column exists; rows from before read as
 * {@code ''} and are judged by the engine alone.
 */
final class DeploymentShape {

  /** The bookkeeping column that records the cluster a migration was applied for. */
  static final String CLUSTER_COLUMN = "cluster String DEFAULT ''";

  private final SchemaOptions options;

  DeploymentShape(SchemaOptions options) {
    this.options = options;
  }

  /** What a row applied with {@code options} records in the {@code cluster} column. */
  static String recorded(SchemaOptions options) {
    return options.cluster().orElse("");
  }

  /** Does nothing for a new database or one of the same shape; throws naming both shapes otherwise. */
  void requireSameAs(Connection connection) throws SQLException {
    String engine = migrationsEngine(connection);
    if (engine == null) {
      return;
    }
    boolean replicated = engine.startsWith("Replicated");
    if (replicated != options.cluster().isPresent()) {
      throw mismatch(replicated ? "a ClickHouse cluster (replicated tables)" : "a single ClickHouse node");
    }
    for (String cluster : recordedClusters(connection)) {
      if (!cluster.isEmpty() && !cluster.equals(recorded(options))) {
        throw mismatch("ClickHouse cluster '" + cluster + "'");
      }
    }
  }

  private IllegalStateException mismatch(String migratedFor) {
    String configured = options.cluster().map(name -> "ClickHouse cluster '" + name + "' (--clickhouse-cluster)")
        .orElse("a single ClickHouse node (no --clickhouse-cluster)");
    return new IllegalStateException("database " + options.database() + " was migrated for " + migratedFor
        + " but this process is configured for " + configured
        + "; give every process the same --clickhouse-cluster setting");
  }

  private String migrationsEngine(Connection connection) throws SQLException {
    String sql = "SELECT engine FROM system.tables WHERE database = ? AND name = 'nines_schema_migrations'";
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, options.database());
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  private List<String> recordedClusters(Connection connection) throws SQLException {
    String column = "SELECT count() FROM system.columns "
        + "WHERE database = ? AND table = 'nines_schema_migrations' AND name = 'cluster'";
    try (PreparedStatement query = connection.prepareStatement(column)) {
      query.setString(1, options.database());
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next() || rows.getLong(1) == 0) {
          return List.of();
        }
      }
    }
    List<String> clusters = new ArrayList<>();
    String sql = "SELECT DISTINCT cluster FROM " + options.database() + ".nines_schema_migrations";
    try (PreparedStatement query = connection.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        clusters.add(rows.getString(1));
      }
    }
    return clusters;
  }
}
