package io.nines.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    @Test
    void withoutOptionsTheLocalDefaultsApply() {
        BrokerConfig config = BrokerConfig.from(new String[0], Map.of());

        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.controllerPort()).isEqualTo(9093);
        assertThat(config.path()).isEqualTo(Path.of(".nines", "kafka").toAbsolutePath());
    }

    @Test
    void argumentsWinOverEnvironmentWhichWinsOverDefaults() {
        BrokerConfig config = BrokerConfig.from(
                new String[] {"--port=19092"},
                Map.of("NINES_KAFKA_PORT", "29092", "NINES_KAFKA_CONTROLLER_PORT", "29093", "NINES_HOME", "/srv/nines"));

        assertThat(config.port()).isEqualTo(19092);
        assertThat(config.controllerPort()).isEqualTo(29093);
        assertThat(config.path()).isEqualTo(Path.of("/srv/nines/kafka"));
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> BrokerConfig.from(new String[] {"--port=70000"}, Map.of()))
                .hasMessage("port must be in 1..65535 but was 70000");
        assertThatThrownBy(() -> BrokerConfig.from(new String[] {"--port=abc"}, Map.of()))
                .hasMessage("--port must be a whole number, was 'abc'");
        assertThatThrownBy(() -> BrokerConfig.from(new String[] {"--port=9093"}, Map.of()))
                .hasMessage("port and controller-port must differ but both are 9093");
        assertThatThrownBy(() -> BrokerConfig.from(new String[] {"--prot=9092"}, Map.of()))
                .hasMessageStartingWith("unknown option --prot");
    }

    @Test
    void topicConfigsAreParsedFromACommaSeparatedList() {
        TopicConfig config = TopicConfig.from(
                new String[] {"--topic=nines.slo-definitions", "--partitions=1", "--configs=cleanup.policy=compact,min.compaction.lag.ms=0"},
                Map.of("NINES_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));

        assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.configs()).containsExactlyInAnyOrderEntriesOf(
                Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"));
        assertThatThrownBy(() -> TopicConfig.from(new String[] {"--topic=a b"}, Map.of()))
                .hasMessage("topic 'a b' is not a legal Kafka topic name");
    }
}
