package io.nines.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  private static final Set<String> KEYS = Set.of("port", "kafka-bootstrap", "linger", "gzip");

  @Test
  void argumentsWinOverComponentVariablesWhichWinOverSharedOnes() {
    Map<String, String> env = Map.of("NINES_COLLECTOR_KAFKA_BOOTSTRAP", "b:1", "NINES_KAFKA_BOOTSTRAP", "c:1",
        "NINES_COLLECTOR_PORT", "9000");
    CommandLine fromEnv = CommandLine.parse(new String[0], env, "collector", KEYS);
    assertThat(fromEnv.string("kafka-bootstrap", "d:1")).isEqualTo("b:1");
    assertThat(fromEnv.integer("port", 1)).isEqualTo(9000);
    assertThat(CommandLine.parse(new String[0], Map.of("NINES_KAFKA_BOOTSTRAP", "c:1"), "api", KEYS)
        .string("kafka-bootstrap", "d:1")).isEqualTo("c:1");
    CommandLine fromArgs = CommandLine.parse(new String[] {"--kafka-bootstrap=a:1"}, env, "collector", KEYS);
    assertThat(fromArgs.string("kafka-bootstrap", "d:1")).isEqualTo("a:1");
    assertThat(CommandLine.parse(new String[0], Map.of(), "collector", KEYS).string("kafka-bootstrap", "d:1"))
        .isEqualTo("d:1");
  }

  @Test
  void sharesOnlyHostWideKeysAcrossComponents() {
    CommandLine line = CommandLine.parse(new String[0], Map.of("NINES_PORT", "9000"), "collector", KEYS);
    assertThat(line.integer("port", 4318)).isEqualTo(4318);
  }

  @Test
  void readsDurationsWithUnits() {
    CommandLine line = CommandLine.parse(new String[] {"--linger=250ms"}, Map.of(), "x", KEYS);
    assertThat(line.duration("linger", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
    assertThat(CommandLine.parseDuration("k", "10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(CommandLine.parseDuration("k", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(CommandLine.parseDuration("k", "1500")).isEqualTo(Duration.ofMillis(1500));
    assertThatThrownBy(() -> CommandLine.parseDuration("linger", "soon")).hasMessageContaining("--linger")
        .hasMessageContaining("'soon'");
  }

  @Test
  void refusesUnknownMalformedAndMistypedOptions() {
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"--prot=1"}, Map.of(), "x", KEYS))
        .hasMessageContaining("unknown option --prot");
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"port"}, Map.of(), "x", KEYS))
        .hasMessageContaining("expected --key=value");
    CommandLine line = CommandLine.parse(new String[] {"--port=abc", "--gzip=maybe"}, Map.of(), "x", KEYS);
    assertThatThrownBy(() -> line.integer("port", 1)).hasMessageContaining("--port must be a whole number, was 'abc'");
    assertThatThrownBy(() -> line.flag("gzip", false)).hasMessageContaining("--gzip must be true or false");
  }

  @Test
  void takesABareFlagAsTrueOnlyForDeclaredFlags() {
    CommandLine line = CommandLine.parse(new String[] {"--gzip"}, Map.of(), "x", KEYS, Set.of("gzip"));
    assertThat(line.flag("gzip", false)).isTrue();
    assertThat(CommandLine.parse(new String[0], Map.of(), "x", KEYS, Set.of("gzip")).flag("gzip", false)).isFalse();
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"--port"}, Map.of(), "x", KEYS, Set.of("gzip")))
        .hasMessage("expected --key=value but got '--port'");
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"--gzip"}, Map.of(), "x", KEYS))
        .hasMessage("expected --key=value but got '--gzip'");
  }

  @Test
  void readsAliasVariablesAfterTheStandardOnes() {
    Map<String, String> env = Map.of("NINES_LINGER", "5s", "OLD_LINGER", "7s");
    CommandLine line = CommandLine.parse(new String[0], env, "x", KEYS).alsoReading("linger", "NINES_LINGER");
    assertThat(line.duration("linger", Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
    assertThat(CommandLine.parse(new String[0], Map.of("NINES_X_LINGER", "1s", "NINES_LINGER", "5s"), "x", KEYS)
        .alsoReading("linger", "NINES_LINGER").duration("linger", Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
    assertThat(CommandLine.parse(new String[0], Map.of("OLD_LINGER", "7s"), "x", KEYS)
        .alsoReading("linger", "NINES_LINGER").alsoReading("linger", "OLD_LINGER")
        .duration("linger", Duration.ZERO)).isEqualTo(Duration.ofSeconds(7));
    assertThat(CommandLine.parse(new String[0], env, "x", KEYS).duration("linger", Duration.ZERO))
        .isEqualTo(Duration.ZERO);
  }
}
