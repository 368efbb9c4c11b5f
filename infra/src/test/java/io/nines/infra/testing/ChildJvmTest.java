package io.nines.infra.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmTest {

    /** Exits with status 2 at once when a required option is missing. */
    private static final String QUICK_FAILURE = "io.nines.infra.kafka.KafkaTopicsMain";
    /** Takes more than a second before it prints anything. */
    private static final String SLOW_STARTER = "io.nines.infra.kafka.KafkaBrokerMain";

    @Test
    void aChildThatExitsBeforeItsReadyLineFailsWithItsLastLines() {
        ChildJvm.Builder child = ChildJvm.builder("child-exits-early", QUICK_FAILURE).readyLine("never printed");

        assertThatThrownBy(child::start)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("child-exits-early exited with status 2 before printing a line matching /never printed/")
                .hasMessageContaining("kafka topics: --topic is required");
    }

    @Test
    void aChildWithoutItsReadyLineInTimeIsStoppedAndFailsWithItsLog(@TempDir Path data) {
        ChildJvm.Builder child = ChildJvm.builder("child-times-out", SLOW_STARTER)
                .args("--port=" + FreePorts.next(), "--controller-port=" + FreePorts.next(),
                        "--path=" + data)
                .readyLine("never printed")
                .startupTimeout(Duration.ofMillis(300));

        assertThatThrownBy(child::start)
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("child-times-out printed no line matching /never printed/ within PT0.3S")
                .hasMessageContaining("child-logs/child-times-out.log");
    }

    @Test
    void aToolRunsToCompletionAndItsOutputLandsInTheLog() throws Exception {
        ChildJvm tool = ChildJvm.builder("child-tool", QUICK_FAILURE).args("--partitions=0").start();

        assertThat(tool.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(tool.isAlive()).isFalse();
        assertThat(tool.tail()).containsExactly("kafka topics: --topic is required");
        assertThat(Files.readAllLines(tool.logFile())).last().isEqualTo("kafka topics: --topic is required");
    }

    @Test
    void killEndsAChildAtOnceWithSigkill(@TempDir Path data) {
        ChildJvm broker = ChildJvm.builder("child-killed", SLOW_STARTER)
                .args("--port=" + FreePorts.next(), "--controller-port=" + FreePorts.next(), "--path=" + data)
                .readyLine("Kafka broker ready on")
                .start();

        broker.kill();

        assertThat(broker.isAlive()).isFalse();
        // 128 + 9: killed by SIGKILL, not a clean exit after SIGTERM (143)
        assertThat(broker.awaitExit(Duration.ofSeconds(5))).isEqualTo(137);
    }

    @Test
    void uniqueNamesAreLegalTopicAndDatabaseNamesThatDoNotRepeat() {
        String first = NinesInfra.uniqueName("spans");
        String second = NinesInfra.uniqueName("spans");

        assertThat(first).matches("spans_[0-9a-f]{12}");
        assertThat(second).matches("spans_[0-9a-f]{12}").isNotEqualTo(first);
        assertThatThrownBy(() -> NinesInfra.uniqueName("bad-prefix")).isInstanceOf(IllegalArgumentException.class);
    }
}
