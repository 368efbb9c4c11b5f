package io.nines.core.schema;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders migration text for one deployment shape, so a replicated cluster is a setting, not a fork.
 *
 * <p>Placeholders: {@code ${DATABASE}}; {@code ${ON_CLUSTER}}; {@code ${ENGINE:table:Engine(args)}},
 * which becomes {@code Engine(args)} on one node and
 * {@code ReplicatedEngine('/clickhouse/tables/{shard}/db/table', '{replica}', args)} on a cluster;
 * {@code ${DEDUPLICATION_WINDOW}}, the setting that makes {@code insert_deduplication_token} effective
 * on either shape.
 */
final class SchemaTemplate {

  private static final Pattern ENGINE = Pattern.compile("\\$\\{ENGINE:(\\w+):(\\w+)(?:\\(([^)]*)\\))?}");

  private final SchemaOptions options;

  SchemaTemplate(SchemaOptions options) {
    this.options = options;
  }

  String onCluster() {
    return options.cluster().map(name -> "ON CLUSTER " + name).orElse("");
  }

  String render(String sql) {
    Matcher engine = ENGINE.matcher(sql);
    StringBuilder rendered = new StringBuilder();
    while (engine.find()) {
      engine.appendReplacement(rendered, Matcher.quoteReplacement(engine(engine.group(1), engine.group(2),
          engine.group(3) == null ? "" : engine.group(3).strip())));
    }
    engine.appendTail(rendered);
    String deduplication = options.cluster().isPresent()
        ? "replicated_deduplication_window = 1000"
        : "non_replicated_deduplication_window = 1000";
    return rendered.toString()
        .replace("${DATABASE}", options.database())
        .replace("${ON_CLUSTER}", onCluster())
        .replace("${DEDUPLICATION_WINDOW}", deduplication);
  }

  private String engine(String table, String engine, String args) {
    if (options.cluster().isEmpty()) {
      return engine + (args.isEmpty() ? "" : "(" + args + ")");
    }
    String path = "'/clickhouse/tables/{shard}/" + options.database() + "/" + table + "', '{replica}'";
    return "Replicated" + engine + "(" + path + (args.isEmpty() ? "" : ", " + args) + ")";
  }
}
