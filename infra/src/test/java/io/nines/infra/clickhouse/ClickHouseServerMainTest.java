package io.nines.infra.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClickHouseServerMainTest {

  @Test
  void readsArgumentsBeforeEnvironmentBeforeDefaults() {
    Map<String, String> env = Map.of(
        "NINES_CLICKHOUSE_HOST", "0.0.0.0", "NINES_CLICKHOUSE_PORT", "9000", "NINES_CLICKHOUSE_PATH", "/env/data",
        "NINES_CHDB_LIB", "/env/libchdb.so");

    assertThat(ClickHouseServerMain.config(new String[] {"--port=18123", "--path=/arg/data"}, env))
        .isEqualTo(new ClickHouseServerConfig(
            "0.0.0.0", 18123, Path.of("/arg/data"), Path.of("/env/libchdb.so"), Optional.empty()));
    assertThat(ClickHouseServerMain.config(
        new String[] {"--path=/d", "--chdb-lib=/lib.so", "--password=pw"}, Map.of()))
        .isEqualTo(new ClickHouseServerConfig("127.0.0.1", 8123, Path.of("/d"), Path.of("/lib.so"), Optional.of("pw")));
    assertThat(ClickHouseServerMain.config(new String[] {"--path=/d", "--chdb-lib=/lib.so"},
        Map.of("NINES_CLICKHOUSE_MAX_BODY_BYTES", "1024")).maxBodyBytes()).isEqualTo(1024);
    assertThat(ClickHouseServerMain.config(new String[] {"--path=/d", "--chdb-lib=/lib.so"}, Map.of()).maxBodyBytes())
        .isEqualTo(64L << 20);
  }

  @Test
  void refusesConfigurationItCannotUse() {
    Map<String, String> env = Map.of("NINES_CHDB_LIB", "/lib.so");
    assertThatThrownBy(() -> ClickHouseServerMain.config(new String[] {}, env))
        .hasMessage("--path (or NINES_CLICKHOUSE_PATH) is required");
    assertThatThrownBy(() -> ClickHouseServerMain.config(new String[] {"--path=/d"}, Map.of()))
        .hasMessage("--chdb-lib (or NINES_CHDB_LIB) is required");
    assertThatThrownBy(() -> ClickHouseServerMain.config(new String[] {"--path=/d", "--port=http"}, env))
        .hasMessage("--port must be a whole number, was 'http'");
    assertThatThrownBy(() -> ClickHouseServerMain.config(new String[] {"--path=/d", "--port=70000"}, env))
        .hasMessage("port must be within 0..65535, got 70000");
    assertThatThrownBy(() -> ClickHouseServerMain.config(new String[] {"--path=/d", "--max-body-bytes=64MB"}, env))
        .hasMessage("--max-body-bytes must be a whole number of bytes, was '64MB'");
    assertThatThrownBy(() -> ClickHouseServerMain.config(new String[] {"--path=/d", "--max-body-bytes=0"}, env))
        .hasMessage("max-body-bytes must be within 1..536870912, got 0");
    assertThatThrownBy(() -> ClickHouseServerMain.config(new String[] {"--path=/d", "--verbose"}, env))
        .hasMessage("expected --key=value but got '--verbose'");
    assertThatThrownBy(() -> ClickHouseServerMain.config(new String[] {"--path=/d", "--verbose=1"}, env))
        .hasMessageStartingWith("unknown option --verbose");
  }
}
