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
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the definitions topic exists and is compacted: a topic that deletes old records would lose
 * SLOs that have not changed for longer than its retention.
 */
public final class SloTopic {

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
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
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
    }
}
