package io.nines.streaming;

import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Streaming configs isolated by unique topic and database names, and the job as {@link StreamingMain} wires it.
 * Here rather than in {@code testing} because {@link StreamingConfig} and {@link StreamingMain} are package-private.
 */
final class TestJobs {

    private TestJobs() {
    }

    /** A config on a fresh spans topic and ClickHouse database, checkpointing to {@code checkpoints}. */
    static Config configFor(EmbeddedKafka kafka, EmbeddedClickHouse clickHouse, Path checkpoints) {
        return new Config(kafka, clickHouse, checkpoints);
    }

    /** The job as {@link StreamingMain} wires it, submitted under the config's job name. */
    static JobClient start(StreamingConfig config) throws Exception {
        return start(config, config.jobName());
    }

    static JobClient start(StreamingConfig config, String jobName) throws Exception {
        var env = StreamExecutionEnvironment.getExecutionEnvironment(StreamingMain.flinkConfiguration(config));
        StreamingMain.wire(env, config);
        return env.executeAsync(jobName);
    }

    /** The options that differ between tests; {@link #load} creates the topics and database and migrates it. */
    static final class Config {

        private final EmbeddedKafka kafka;
        private final EmbeddedClickHouse clickHouse;
        private final Path checkpoints;
        private final List<String> options = new ArrayList<>();
        private int spanPartitions = 1;
        private boolean sloTopic;
        private boolean alertsTopic;
        private boolean metricsTopic;

        private Config(EmbeddedKafka kafka, EmbeddedClickHouse clickHouse, Path checkpoints) {
            this.kafka = kafka;
            this.clickHouse = clickHouse;
            this.checkpoints = checkpoints;
        }

        Config spanPartitions(int partitions) {
            spanPartitions = partitions;
            return this;
        }

        /** Creates a compacted SLO definitions topic. */
        Config withSloTopic() {
            sloTopic = true;
            return this;
        }

        /** Creates an alerts topic. */
        Config withAlertsTopic() {
            alertsTopic = true;
            return this;
        }

        /** Creates a metrics topic. */
        Config withMetricsTopic() {
            metricsTopic = true;
            return this;
        }

        /** Further {@code --key=value} options. */
        Config options(String... more) {
            options.addAll(List.of(more));
            return this;
        }

        StreamingConfig load() throws Exception {
            List<String> args = new ArrayList<>();
            args.add("--kafka-bootstrap=" + kafka.bootstrapServers());
            args.add("--spans-topic=" + createTopic("otlp_spans", spanPartitions, Map.of()));
            if (sloTopic) {
                args.add("--slo-topic=" + createTopic("slo_definitions", 1, Map.of("cleanup.policy", "compact")));
            }
            if (alertsTopic) {
                args.add("--alerts-topic=" + createTopic("alerts", 1, Map.of()));
            }
            if (metricsTopic) {
                args.add("--metrics-topic=" + createTopic("otlp_metrics", 1, Map.of()));
            }
            String database = NinesInfra.uniqueName("nines");
            clickHouse.createDatabase(database);
            args.add("--group-id=" + NinesInfra.uniqueName("streaming"));
            args.add("--clickhouse-url=" + clickHouse.jdbcUrl(database));
            args.add("--checkpoint-dir=" + checkpoints);
            args.addAll(options);
            StreamingConfig config = StreamingConfig.load(args, Map.of());
            StreamingMain.migrate(config.clickHouse());
            return config;
        }

        private String createTopic(String prefix, int partitions, Map<String, String> settings) throws Exception {
            String topic = NinesInfra.uniqueName(prefix);
            if (settings.isEmpty()) {
                kafka.createTopic(topic, partitions);
            } else {
                kafka.createTopic(topic, partitions, settings);
            }
            return topic;
        }
    }
}
