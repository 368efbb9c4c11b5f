package io.nines.streaming;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * The deployment rule the job's watermarks rely on, checked at startup: no subtask reads more than one partition
 * of a topic whose event time it follows. Watermarks are generated per subtask after decoding, so a subtask
 * reading several partitions mixes them under one watermark, and catching up after an outage can then make honest
 * spans late (docs/architecture.md, "Where watermarks come from"). A breach is a warning, not a refusal to start:
 * the job still counts everything, only less well after an outage.
 */
final class PartitionsPerSubtask {

    private PartitionsPerSubtask() {
    }

    /**
     * One message per existing topic with more partitions than {@code parallelism}; none for a topic that does not
     * exist yet (the metrics topic is optional) or when Kafka does not answer within {@code timeout}, as the job's
     * own sources report an unreachable broker better.
     */
    static List<String> breaches(String bootstrap, List<String> topics, int parallelism, Duration timeout)
            throws InterruptedException {
        List<String> breaches = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()))) {
            for (String topic : topics) {
                int partitions = partitions(admin, topic, timeout);
                if (partitions > parallelism) {
                    breaches.add(topic + " has " + partitions + " partitions but --parallelism is " + parallelism
                            + ": a subtask reading several partitions follows them with one watermark, so catching up"
                            + " after an outage can make honest spans late; run with --parallelism=" + partitions
                            + " (docs/operations.md)");
                }
            }
        }
        return breaches;
    }

    private static int partitions(Admin admin, String topic, Duration timeout) throws InterruptedException {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).topicNameValues().get(topic)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return description.partitions().size();
        } catch (ExecutionException | TimeoutException e) {
            // A missing topic (UnknownTopicOrPartitionException) or a broker that does not answer: nothing to check.
            return 0;
        }
    }
}
