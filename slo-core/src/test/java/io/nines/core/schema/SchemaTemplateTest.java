package io.nines.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchemaTemplateTest {

  private static final String DDL = "CREATE TABLE IF NOT EXISTS ${DATABASE}.t ${ON_CLUSTER} (x UInt8) "
      + "ENGINE = ${ENGINE:t:ReplacingMergeTree(version)} ORDER BY x SETTINGS ${DEDUPLICATION_WINDOW}";

  @Test
  void rendersPlainEnginesOnOneNode() {
    String sql = new SchemaTemplate(SchemaOptions.local("nines")).render(DDL);
    assertThat(sql).isEqualTo("CREATE TABLE IF NOT EXISTS nines.t  (x UInt8) ENGINE = "
        + "ReplacingMergeTree(version) ORDER BY x SETTINGS non_replicated_deduplication_window = 1000");
  }

  @Test
  void rendersReplicatedEnginesOnACluster() {
    String sql = new SchemaTemplate(new SchemaOptions("nines", Optional.of("prod"))).render(DDL);
    assertThat(sql).isEqualTo("CREATE TABLE IF NOT EXISTS nines.t ON CLUSTER prod (x UInt8) ENGINE = "
        + "ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/nines/t', '{replica}', version) "
        + "ORDER BY x SETTINGS replicated_deduplication_window = 1000");
  }

  @Test
  void refusesIdentifiersThatWouldInjectSql() {
    assertThatThrownBy(() -> SchemaOptions.local("nines; DROP TABLE x"))
        .hasMessageContaining("database").hasMessageContaining("nines; DROP TABLE x");
    assertThatThrownBy(() -> new SchemaOptions("nines", Optional.of("a b"))).hasMessageContaining("cluster");
  }

  @Test
  void shippedMigrationsAreOrderedAndSplitIntoStatements() {
    var migrations = SchemaMigrator.migrations();
    assertThat(migrations).isNotEmpty();
    // numbers only grow; gaps are allowed, so parallel work can claim its own range (V010, V020, V030...)
    assertThat(migrations.get(0).version()).isEqualTo(1);
    for (int i = 0; i < migrations.size(); i++) {
      assertThat(migrations.get(i).version()).isGreaterThan(i == 0 ? 0 : migrations.get(i - 1).version());
      assertThat(migrations.get(i).statements()).allSatisfy(s -> assertThat(s).doesNotEndWith(";"));
    }
    assertThat(migrations.get(0).statements()).singleElement().asString().contains("latency_minute");
  }

  @Test
  void rendersEveryShippedMigrationForACluster() {
    SchemaTemplate cluster = new SchemaTemplate(new SchemaOptions("nines", Optional.of("prod")));
    for (var migration : SchemaMigrator.migrations()) {
      for (String statement : migration.statements()) {
        String sql = cluster.render(statement);
        assertThat(sql).as(migration.name()).doesNotContain("${").containsPattern(" ON CLUSTER prod\\s")
            .doesNotContain("non_replicated_deduplication_window");
        if (sql.startsWith("CREATE TABLE")) {
          assertThat(sql).as(migration.name())
              .containsPattern("ENGINE = Replicated\\w*MergeTree\\('/clickhouse/tables/\\{shard}/nines/\\w+', '\\{replica}'");
        } else {
          assertThat(sql).as(migration.name()).startsWith("ALTER TABLE nines.").doesNotContain("ENGINE");
        }
      }
    }
  }

  @Test
  void rendersEveryShippedMigrationForOneNodeWithoutPlaceholdersLeft() {
    SchemaTemplate local = new SchemaTemplate(SchemaOptions.local("nines"));
    for (var migration : SchemaMigrator.migrations()) {
      for (String statement : migration.statements()) {
        assertThat(local.render(statement)).as(migration.name())
            .doesNotContain("${").doesNotContain("ON CLUSTER").doesNotContain("Replicated");
      }
    }
  }
}
