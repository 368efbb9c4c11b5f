package io.nines.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The startup check of the deployment rule, against a real broker. */
@ExtendWith(NinesInfra.class)
class PartitionsPerSubtaskTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void namesEachTopicWithMorePartitionsThanSubtasksAndTheParallelismToRunWith(EmbeddedKafka kafka)
            throws Exception {
        String spans = NinesInfra.uniqueName("otlp_spans");
        String metrics = NinesInfra.uniqueName("otlp_metrics");
        kafka.createTopic(spans, 3);
        kafka.createTopic(metrics, 2);

        assertThat(PartitionsPerSubtask.breaches(kafka.bootstrapServers(), List.of(spans, metrics), 2, TIMEOUT))
                .containsExactly(spans + " has 3 partitions but --parallelism is 2: a subtask reading several"
                        + " partitions follows them with one watermark, so catching up after an outage can make"
                        + " honest spans late; run with --parallelism=3 (docs/operations.md)");
        assertThat(PartitionsPerSubtask.breaches(kafka.bootstrapServers(), List.of(spans, metrics), 3, TIMEOUT))
                .isEmpty();
    }

    @Test
    void aTopicThatDoesNotExistYetIsNoBreach(EmbeddedKafka kafka) throws Exception {
        assertThat(PartitionsPerSubtask.breaches(kafka.bootstrapServers(),
                List.of(NinesInfra.uniqueName("otlp_metrics")), 1, TIMEOUT)).isEmpty();
    }
}
