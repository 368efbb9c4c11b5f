package io.nines.infra.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import io.nines.core.config.CommandLine;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One topic to create.
 *
 * @param bootstrapServers Kafka to talk to
 * @param topic            topic name
 * @param partitions       partition count
 * @param configs          topic-level settings such as {@code cleanup.policy=compact}
 * @param ifNotExists      a topic that exists already is success, not failure (the launcher provisions topics
 *                         on every start)
 */
record TopicConfig(String bootstrapServers, String topic, int partitions, Map<String, String> configs,
                   boolean ifNotExists) {

    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    TopicConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap-servers must not be blank");
        }
        if (!LEGAL_TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("topic '" + topic + "' is not a legal Kafka topic name");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1 but was " + partitions);
        }
        configs = Map.copyOf(configs);
    }

    /**
     * {@code --bootstrap-servers=H:P --topic=NAME --partitions=N --configs=k=v,k=v [--if-not-exists]}, else
     * {@code NINES_KAFKA_BOOTSTRAP_SERVERS}; defaults: the local broker, 1 partition, no configs, an existing
     * topic is a failure.
     */
    static TopicConfig from(String[] args, Map<String, String> env) {
        CommandLine cli = CommandLine.parse(args, env, "KAFKA",
                Set.of("bootstrap-servers", "topic", "partitions", "configs", "if-not-exists"), Set.of("if-not-exists"));
        String topic = cli.value("topic")
                .orElseThrow(() -> new IllegalArgumentException("--topic is required"));
        Map<String, String> configs = new HashMap<>();
        for (String pair : cli.string("configs", "").split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--configs entry '" + pair + "' is not key=value");
            }
            configs.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return new TopicConfig(
                cli.string("bootstrap-servers", BrokerConfig.DEFAULT_HOST + ":" + BrokerConfig.DEFAULT_PORT),
                topic,
                cli.integer("partitions", 1),
                configs,
                cli.flag("if-not-exists", false));
    }
}
