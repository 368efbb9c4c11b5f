package io.nines.infra.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates one topic, replicated once, and waits until the broker has it; what {@code kafka-topics.sh --create}
 * does, without Kafka's tools jar. Options: see {@link TopicConfig#from}. Exits 0 once created (or found, with
 * {@code --if-not-exists}), 1 if the topic exists already or the broker refuses, 2 on bad options.
 */
public final class KafkaTopicsMain {

    private static final int TIMEOUT_MS = 60_000;

    private KafkaTopicsMain() {
    }

    public static void main(String[] args) {
        QuietLogging.unlessConfigured();
        TopicConfig config;
        try {
            config = TopicConfig.from(args, System.getenv());
        } catch (RuntimeException e) {
            System.err.println("kafka topics: " + Failures.oneLine(e));
            System.exit(2);
            return;
        }
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "nines-kafka-topics",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        try (Admin admin = Admin.create(adminConfig)) {
            NewTopic topic = new NewTopic(config.topic(), config.partitions(), (short) 1).configs(config.configs());
            admin.createTopics(List.of(topic), new CreateTopicsOptions().timeoutMs(TIMEOUT_MS))
                    .all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            System.out.println("Created topic " + config.topic() + " with " + config.partitions() + " partitions on " + config.bootstrapServers());
        } catch (ExecutionException e) {
            if (config.ifNotExists() && e.getCause() instanceof TopicExistsException) {
                System.out.println("Topic " + config.topic() + " exists on " + config.bootstrapServers());
                return;
            }
            System.err.println("could not create topic " + config.topic() + " on " + config.bootstrapServers() + ": " + Failures.oneLine(e));
            System.exit(1);
        } catch (Exception e) {
            System.err.println("could not create topic " + config.topic() + " on " + config.bootstrapServers() + ": " + Failures.oneLine(e));
            System.exit(1);
        }
    }
}
