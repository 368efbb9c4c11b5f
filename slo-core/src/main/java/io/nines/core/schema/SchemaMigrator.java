package io.nines.core.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the versioned migrations under {@code db/clickhouse/} that a database has not seen yet.
 *
 * <p>Every statement is idempotent ({@code IF NOT EXISTS}), so two processes migrating at once, or a
 * crash between a statement and its bookkeeping row, leave a correct schema. A migration that was
 * edited after it was applied fails loudly instead of drifting.
 */
public final class SchemaMigrator {

  private static final String INDEX = "db/clickhouse/migrations.txt";

  private final SchemaOptions options;
  private final SchemaTemplate template;

  public SchemaMigrator(SchemaOptions options) {
    this.options = options;
    this.template = new SchemaTemplate(options);
  }

  /**
   * Applies what is missing and returns the names of the migrations it applied.
   *
   * @throws IllegalStateException when the database was migrated for the other deployment shape (a single
   *     node versus a cluster, or another cluster), before any statement of this shape is sent to it
   */
  public List<String> migrate(Connection connection) throws SQLException {
    // Checked first: an ON CLUSTER statement sent to a single-node database fails with a confusing error, and
    // plain tables created in a database meant to be replicated would be recorded as applied for good.
    new DeploymentShape(options).requireSameAs(connection);
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE IF NOT EXISTS " + options.database() + " " + template.onCluster());
      statement.execute(template.render(
          "CREATE TABLE IF NOT EXISTS ${DATABASE}.nines_schema_migrations ${ON_CLUSTER} "
              + "(version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC'), "
              + DeploymentShape.CLUSTER_COLUMN + ") "
              + "ENGINE = ${ENGINE:nines_schema_migrations:ReplacingMergeTree} ORDER BY version"));
      // databases migrated before the cluster was recorded get the column; their rows read as unknown ('')
      statement.execute(template.render("ALTER TABLE ${DATABASE}.nines_schema_migrations ${ON_CLUSTER} "
          + "ADD COLUMN IF NOT EXISTS " + DeploymentShape.CLUSTER_COLUMN));
    }
    Map<Integer, String> applied = appliedChecksums(connection);
    List<String> newlyApplied = new ArrayList<>();
    for (Migration migration : migrations()) {
      String known = applied.get(migration.version());
      if (known != null) {
        if (!known.equals(migration.checksum())) {
          throw new IllegalStateException("migration " + migration.name()
              + " changed after it was applied; add a new migration instead of editing it");
        }
        continue;
      }
      try (Statement statement = connection.createStatement()) {
        for (String sql : migration.statements()) {
          statement.execute(template.render(sql));
        }
      } catch (SQLException e) {
        throw new SQLException("migration " + migration.name() + " failed: " + e.getMessage(), e);
      }
      record(connection, migration);
      newlyApplied.add(migration.name());
    }
    return newlyApplied;
  }

  private Map<Integer, String> appliedChecksums(Connection connection) throws SQLException {
    Map<Integer, String> applied = new LinkedHashMap<>();
    String sql = "SELECT version, argMax(checksum, applied_at) FROM " + options.database()
        + ".nines_schema_migrations GROUP BY version";
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        applied.put(rows.getInt(1), rows.getString(2));
      }
    }
    return applied;
  }

  private void record(Connection connection, Migration migration) throws SQLException {
    String sql = "INSERT INTO " + options.database()
        + ".nines_schema_migrations (version, name, checksum, applied_at, cluster) VALUES (?, ?, ?, now64(3), ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setInt(1, migration.version());
      insert.setString(2, migration.name());
      insert.setString(3, migration.checksum());
      insert.setString(4, DeploymentShape.recorded(options));
      insert.executeUpdate();
    }
  }

  /** The migrations shipped with this build, in order. */
  static List<Migration> migrations() {
    List<Migration> migrations = new ArrayList<>();
    for (String line : resource(INDEX).split("\n")) {
      String name = line.strip();
      if (!name.isEmpty() && !name.startsWith("#")) {
        migrations.add(Migration.parse(name, resource("db/clickhouse/" + name)));
      }
    }
    return migrations;
  }

  private static String resource(String path) {
    try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("schema resource missing from the build: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One versioned file of statements separated by a semicolon at the end of a line. */
  record Migration(int version, String name, String checksum, List<String> statements) {

    static Migration parse(String fileName, String text) {
      var matcher = java.util.regex.Pattern.compile("V(\\d{3,})__[a-z0-9_]+\\.sql").matcher(fileName);
      if (!matcher.matches()) {
        throw new IllegalStateException("migration file name must look like V001__what.sql, was " + fileName);
      }
      List<String> statements = new ArrayList<>();
      StringBuilder current = new StringBuilder();
      for (String line : text.split("\n")) {
        if (line.strip().startsWith("--")) {
          continue;
        }
        current.append(line).append('\n');
        if (line.stripTrailing().endsWith(";")) {
          statements.add(current.toString().strip().replaceAll(";$", ""));
          current.setLength(0);
        }
      }
      if (!current.toString().isBlank()) {
        statements.add(current.toString().strip());
      }
      return new Migration(Integer.parseInt(matcher.group(1)), fileName, sha256(text), List.copyOf(statements));
    }

    private static String sha256(String text) {
      try {
        return HexFormat.of().formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is part of every JDK", e);
      }
    }
  }
}
