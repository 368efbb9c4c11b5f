package io.nines.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.NinesInfra;
import io.nines.streaming.clickhouse.ClickHouseOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The job migrates with the configured cluster setting and refuses a database migrated for the other shape,
 * instead of recording plain tables as applied where replicated ones were meant (or the reverse).
 */
@ExtendWith(NinesInfra.class)
class MigrationShapeTest {

    @Test
    void recordsASingleNodeMigrationAndRefusesToOpenItAsACluster(EmbeddedClickHouse clickHouse) throws Exception {
        String database = NinesInfra.uniqueName("shape");
        clickHouse.createDatabase(database);
        String url = clickHouse.jdbcUrl(database);
        StreamingMain.migrate(ClickHouseOptions.of(url, "default", ""));
        String tables = tables(clickHouse, database);

        assertThatThrownBy(() -> StreamingMain.migrate(ClickHouseOptions.of(url, "default", "", "prod")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("database " + database + " was migrated for a single ClickHouse node but this process is "
                        + "configured for ClickHouse cluster 'prod' (--clickhouse-cluster); give every process the "
                        + "same --clickhouse-cluster setting");

        // refused before any statement: nothing created, nothing recorded; the same shape still opens it
        assertThat(tables(clickHouse, database)).isEqualTo(tables);
        assertThat(clickHouse.execute("SELECT countIf(cluster != ''), countIf(name = 'V001__latency_minute.sql') FROM "
                + database + ".nines_schema_migrations FINAL FORMAT TSV")).isEqualTo("0\t1\n");
        StreamingMain.migrate(ClickHouseOptions.of(url, "default", ""));
    }

    @Test
    void refusesToOpenADatabaseRecordedForAClusterAsASingleNode(EmbeddedClickHouse clickHouse) throws Exception {
        String database = NinesInfra.uniqueName("shape");
        clickHouse.createDatabase(database);
        String url = clickHouse.jdbcUrl(database);
        StreamingMain.migrate(ClickHouseOptions.of(url, "default", ""));
        // chDB has no ZooKeeper for replicated tables, so the cluster's record is written as a cluster writes it
        clickHouse.execute("INSERT INTO " + database + ".nines_schema_migrations (version, name, checksum, "
                + "applied_at, cluster) VALUES (999, 'V999__x.sql', 'c', now64(3), 'prod')");

        assertThatThrownBy(() -> StreamingMain.migrate(ClickHouseOptions.of(url, "default", "")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was migrated for ClickHouse cluster 'prod' but this process is configured "
                        + "for a single ClickHouse node (no --clickhouse-cluster)");
    }

    private static String tables(EmbeddedClickHouse clickHouse, String database) {
        return clickHouse.execute("SELECT groupArray(name) FROM (SELECT name FROM system.tables WHERE database = '"
                + database + "' ORDER BY name) FORMAT TSV");
    }
}
