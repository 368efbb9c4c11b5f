package io.nines.infra.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One topic to create.
 *
 * @param bootstrapServers Kafka to talk to
 * @param topic            topic name
 * @param partitions       partition count
 * @param configs          topic-level settings such as {@code cleanup.policy=compact}
 */
record TopicConfig(String bootstrapServers, String topic, int partitions, Map<String, String> configs) {

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
     * {@code --bootstrap-servers=H:P --topic=NAME --partitions=N --configs=k=v,k=v}, else
     * {@code NINES_KAFKA_BOOTSTRAP_SERVERS}; defaults: the local broker, 1 partition, no configs.
     */
    static TopicConfig from(String[] args, Map<String, String> env) {
        CommandLine cli = CommandLine.parse(args, env, Set.of("bootstrap-servers", "topic", "partitions", "configs"));
        String topic = cli.value("topic", "KAFKA_")
                .orElseThrow(() -> new IllegalArgumentException("--topic is required"));
        Map<String, String> configs = new HashMap<>();
        for (String pair : cli.value("configs", "KAFKA_", "").split(",")) {
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
                cli.value("bootstrap-servers", "KAFKA_", BrokerConfig.DEFAULT_HOST + ":" + BrokerConfig.DEFAULT_PORT),
                topic,
                cli.intValue("partitions", "KAFKA_", 1),
                configs);
    }
}
