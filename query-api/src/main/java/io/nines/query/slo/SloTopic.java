package io.nines.query.slo;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the definitions topic exists, is compacted (a topic that deletes old records would lose SLOs that
 * have not changed for longer than its retention) and takes records up to {@link #MAX_RECORD_BYTES}.
 */
public final class SloTopic {

    /**
     * The largest definition record, for the producer and the topic alike. A document is at most
     * {@link io.nines.core.slo.OpenSloReader#MAX_CHARS} characters as canonical JSON ({@link SloDocuments}), and the
     * record carries it as a JSON string: each character takes at most 2 characters there once escaped, or 3 bytes
     * of UTF-8, so 3 MiB plus the record's envelope is the worst case. Kafka's default of 1 MiB would answer a
     * valid SLO with a 503.
     */
    static final int MAX_RECORD_BYTES = 4 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(SloTopic.class);
    private static final long ATTEMPT_TIMEOUT_MS = 5_000;

    private SloTopic() {}

    /**
     * Creates the topic when missing, waiting for Kafka up to {@code timeout}.
     *
     * @throws IllegalStateException when Kafka did not answer in time or the topic is not compacted
     */
    public static void ensure(SloSettings settings, Duration timeout, InstantSource clock) {
        Instant deadline = clock.instant().plus(timeout);
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap(),
                AdminClientConfig.CLIENT_ID_CONFIG, "nines-query-api-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ATTEMPT_TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ATTEMPT_TIMEOUT_MS);
        Retry retry = Retry.of("slo-topic", RetryConfig.custom()
                .maxAttempts(Integer.MAX_VALUE)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                        Duration.ofMillis(200), 2.0, 0.5, Duration.ofSeconds(5)))
                .retryOnException(e -> !(e instanceof IllegalStateException) && clock.instant().isBefore(deadline))
                .build());
        retry.getEventPublisher().onRetry(event -> LOG.info("Kafka at {} not ready for topic {} (attempt {}): {}",
                settings.kafkaBootstrap(), settings.topic(), event.getNumberOfRetryAttempts(),
                event.getLastThrowable().getMessage()));
        try (Admin admin = Admin.create(config)) {
            Retry.decorateCheckedRunnable(retry, () -> createOrCheck(admin, settings.topic())).run();
        } catch (IllegalStateException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Kafka at " + settings.kafkaBootstrap() + " did not create or describe"
                    + " topic " + settings.topic() + " within " + timeout.toSeconds() + " s: " + e.getMessage(), e);
        }
    }

    private static void createOrCheck(Admin admin, String topic)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        NewTopic compacted = new NewTopic(topic, Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_RECORD_BYTES)));
        try {
            admin.createTopics(List.of(compacted)).all().get(ATTEMPT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            LOG.info("created compacted topic {}", topic);
            return;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config existing = admin.describeConfigs(List.of(resource)).all()
                .get(ATTEMPT_TIMEOUT_MS, TimeUnit.MILLISECONDS).get(resource);
        String policy = existing.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            throw new IllegalStateException("topic " + topic + " exists with cleanup.policy=" + policy
                    + "; SLO definitions need cleanup.policy=compact");
        }
        // A topic created before the limit was set (or by hand) is raised to it; one allowing more stays as it is.
        long maxBytes = Long.parseLong(existing.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
        if (maxBytes < MAX_RECORD_BYTES) {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_RECORD_BYTES)), AlterConfigOp.OpType.SET))))
                    .all().get(ATTEMPT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            LOG.info("raised max.message.bytes of topic {} from {} to {}", topic, maxBytes, MAX_RECORD_BYTES);
        }
    }
}
