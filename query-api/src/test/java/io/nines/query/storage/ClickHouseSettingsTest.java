package io.nines.query.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClickHouseSettingsTest {

    @Test
    void takesTheDatabaseFromTheUrlAndConnectsWithoutIt() {
        ClickHouseSettings settings = new ClickHouseSettings(
                "jdbc:clickhouse://10.0.0.5:8123/nines?compress=false", "default", "", Optional.empty());
        assertThat(settings.schema().database()).isEqualTo("nines");
        assertThat(settings.schema().cluster()).isEmpty();
        assertThat(settings.serverUrl()).isEqualTo("jdbc:clickhouse://10.0.0.5:8123/?compress=false");
    }

    @Test
    void carriesTheClusterIntoTheSchema() {
        ClickHouseSettings settings = new ClickHouseSettings(
                "jdbc:clickhouse://ch:8123/nines", "reader", "s3cret", Optional.of("prod"));
        assertThat(settings.schema().cluster()).contains("prod");
        assertThat(settings.serverUrl()).isEqualTo("jdbc:clickhouse://ch:8123/");
        assertThat(settings.toString()).doesNotContain("s3cret").contains("(hidden)");
    }

    @Test
    void refusesUrlsWithoutDatabaseOrWithAnInjectableOne() {
        assertThatThrownBy(() -> new ClickHouseSettings("jdbc:clickhouse://ch:8123", "default", "", Optional.empty()))
                .hasMessageContaining("clickhouse-url must name the database");
        assertThatThrownBy(() -> new ClickHouseSettings("jdbc:clickhouse://ch:8123/a%3BDROP", "default", "",
                Optional.empty())).hasMessageContaining("database must be a plain ClickHouse identifier");
        assertThatThrownBy(() -> new ClickHouseSettings("jdbc:mysql://ch/nines", "default", "", Optional.empty()))
                .hasMessageContaining("clickhouse-url must start with jdbc:clickhouse:");
    }
}
