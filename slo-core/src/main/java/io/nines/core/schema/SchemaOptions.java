package io.nines.core.schema;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the schema lives: the database, and for a replicated ClickHouse the cluster name that turns
 * every table into its {@code Replicated*} engine and every statement into {@code ON CLUSTER}.
 */
public record SchemaOptions(String database, Optional<String> cluster) {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  public SchemaOptions {
    requireIdentifier("database", database);
    cluster.ifPresent(name -> requireIdentifier("cluster", name));
  }

  /** A single-node schema in {@code database}. */
  public static SchemaOptions local(String database) {
    return new SchemaOptions(database, Optional.empty());
  }

  private static void requireIdentifier(String what, String value) {
    if (value == null || !IDENTIFIER.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what + " must be a plain ClickHouse identifier ([A-Za-z_][A-Za-z0-9_]*), was '" + value + "'");
    }
  }
}
