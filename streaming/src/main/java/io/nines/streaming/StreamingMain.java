package io.nines.streaming;

import io.micrometer.core.instrument.logging.LoggingMeterRegistry;
import io.nines.core.alerting.AlertTransition;
import io.nines.core.schema.SchemaMigrator;
import io.nines.streaming.alerting.AlertRecords;
import io.nines.streaming.aside.LoggingSink;
import io.nines.streaming.clickhouse.AlertEventSink;
import io.nines.streaming.clickhouse.ClickHouseOptions;
import io.nines.streaming.clickhouse.LatencyMinuteSink;
import io.nines.streaming.clickhouse.LatePointSink;
import io.nines.streaming.clickhouse.LateSpanSink;
import io.nines.streaming.clickhouse.MetricLatencyMinuteSink;
import io.nines.streaming.clickhouse.SloMinuteSink;
import io.nines.streaming.clickhouse.StreamProgressSink;
import io.nines.streaming.job.AlertJob;
import io.nines.streaming.job.LatencyJob;
import io.nines.streaming.job.MetricsJob;
import io.nines.streaming.job.SloJob;
import io.nines.streaming.otlp.SpanEvent;
import io.nines.streaming.rollup.LatencyRollup;
import io.nines.streaming.slo.DefinitionRecord;
import io.nines.streaming.slo.DefinitionRecordDeserializer;
import io.nines.streaming.otlp.OtlpRecord;
import io.nines.streaming.otlp.OtlpRecordDeserializer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the streaming job: in a local MiniCluster when run as a plain JVM, on the cluster when submitted
 * to one. Options: {@code --kafka-bootstrap --spans-topic --group-id --clickhouse-url --clickhouse-user
 * --clickhouse-password --clickhouse-cluster --checkpoint-interval --checkpoint-dir --out-of-orderness --idleness
 * --allowed-lateness --early-firing --max-clock-skew --parallelism --slo-topic --job-name --progress-interval
 * --alerts-topic --metrics-topic --rollup-interval}
 * (or {@code NINES_*}; see {@link StreamingConfig}).
 */
public final class StreamingMain {

    static final String JOB_NAME = "nines-streaming";

    private static final Logger LOG = LoggerFactory.getLogger(StreamingMain.class);

    private StreamingMain() {
    }

    public static void main(String[] args) throws Exception {
        StreamingConfig config = StreamingConfig.load(List.of(args), System.getenv());
        LOG.info("starting with {}", config);
        PartitionsPerSubtask.breaches(config.kafkaBootstrap(), List.of(config.spansTopic(), config.metricsTopic()),
                config.parallelism(), Duration.ofSeconds(5)).forEach(LOG::warn);
        migrate(config.clickHouse());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
        wire(env, config);
        // The streaming deployable has no /metrics endpoint of its own: the rollup's counters are logged every minute.
        LoggingMeterRegistry metrics = new LoggingMeterRegistry();
        LatencyRollup rollup = new LatencyRollup(config.clickHouse(), config.jobName(), InstantSource.system(),
                metrics);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            rollup.close();
            metrics.close();
        }, "streaming-shutdown"));
        JobClient job = env.executeAsync(config.jobName());
        rollup.start(config.rollupInterval());
        System.out.println("Streaming job running (job " + job.getJobID() + ")");
        try {
            job.getJobExecutionResult().get();
        } finally {
            rollup.close();
            metrics.close();
        }
    }

    /** Creates or upgrades the tables the job writes; a failure here stops the start, loudly. */
    static void migrate(ClickHouseOptions clickHouse) throws SQLException {
        try (Connection connection = clickHouse.connect()) {
            List<String> applied = new SchemaMigrator(clickHouse.schema()).migrate(connection);
            LOG.info("ClickHouse schema in {} is current (applied now: {})", clickHouse.database(), applied);
        }
    }

    static Configuration flinkConfiguration(StreamingConfig config) {
        Configuration flink = new Configuration();
        flink.set(CoreOptions.DEFAULT_PARALLELISM, config.parallelism());
        // Every type in the job has a Flink serializer; Kryo sneaking in would be slow and fragile state.
        flink.set(PipelineOptions.GENERIC_TYPES, false);
        flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        flink.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointDir().toString());
        flink.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        RetainedCheckpoints.latest(config.checkpointDir()).ifPresent(checkpoint -> {
            LOG.info("resuming from checkpoint {}", checkpoint);
            flink.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toUri().toString());
        });
        return flink;
    }

    /** Adds the Kafka source, the job and its sinks to {@code env}. */
    static void wire(StreamExecutionEnvironment env, StreamingConfig config) {
        wire(config, spanRecords(env, config));
    }

    /** The spans topic as a stream of records, each stamped with its Kafka timestamp. */
    // The Kafka connector's committedOffsets still takes the deprecated OffsetResetStrategy, with no successor.
    @SuppressWarnings("deprecation")
    static DataStream<OtlpRecord> spanRecords(StreamExecutionEnvironment env, StreamingConfig config) {
        KafkaSource<OtlpRecord> source = KafkaSource.<OtlpRecord>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setTopics(config.spansTopic())
                .setGroupId(config.groupId())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                // the collector writes in transactions; a request it refused is in an aborted one
                .setProperty("isolation.level", "read_committed")
                .setDeserializer(new OtlpRecordDeserializer())
                .build();
        // Event time is assigned after decoding, from the spans themselves, not from Kafka timestamps; so watermarks
        // are per subtask, not per partition, and a deployment runs one partition per subtask (docs/architecture.md).
        return env
                .fromSource(source, WatermarkStrategy.noWatermarks(), config.spansTopic())
                .uid("otlp-spans-source");
    }

    /** Adds the job and its sinks downstream of {@code records}; tests put their own operators in between. */
    static void wire(StreamingConfig config, DataStream<OtlpRecord> records) {
        DataStream<SpanEvent> spans = LatencyJob.attach(records, config.job(), new LatencyJob.Sinks(
                new LatencyMinuteSink(config.clickHouse()),
                new LateSpanSink(config.clickHouse()),
                new LoggingSink<>("rejected OTLP record")));
        SloJob.Outputs slos = SloJob.attach(spans, sloDefinitions(records.getExecutionEnvironment(), config),
                config.job(), new SloJob.Sinks(
                        new SloMinuteSink(config.clickHouse()),
                        new StreamProgressSink<>(config.clickHouse(), config.jobName(), config.progressInterval(),
                                config.job().allowedLateness()),
                        new LoggingSink<>("late SLO event, after the allowed lateness"),
                        new LoggingSink<>("rejected SLO definition")));
        AlertJob.attach(slos, new AlertJob.Sinks(alertsTopic(config), new AlertEventSink(config.clickHouse())));
        MetricsJob.attach(metricRecords(records.getExecutionEnvironment(), config), config.job(),
                new MetricsJob.Sinks(
                        new MetricLatencyMinuteSink(config.clickHouse()),
                        new LatePointSink(config.clickHouse()),
                        new LoggingSink<>("rejected OTLP metrics record")));
    }

    /**
     * The OTLP metrics topic, for its latency histograms. Subscribed by pattern, so a deployment that sends no
     * metrics (and has no such topic) runs without, and finds the topic when it appears.
     */
    // The Kafka connector's committedOffsets still takes the deprecated OffsetResetStrategy, with no successor.
    @SuppressWarnings("deprecation")
    static DataStream<OtlpRecord> metricRecords(StreamExecutionEnvironment env, StreamingConfig config) {
        KafkaSource<OtlpRecord> source = KafkaSource.<OtlpRecord>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setTopicPattern(Pattern.compile(Pattern.quote(config.metricsTopic())))
                .setGroupId(config.groupId())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setProperty("partition.discovery.interval.ms", "10000")
                .setProperty("isolation.level", "read_committed")
                .setDeserializer(new OtlpRecordDeserializer())
                .build();
        return env
                .fromSource(source, WatermarkStrategy.noWatermarks(), config.metricsTopic())
                .uid("otlp-metrics-source");
    }

    /**
     * Alert transitions to Kafka, at least once: exactly-once would hold every page back until the next
     * checkpoint commits its transaction. A transition replayed after a failure carries the sequence number it
     * had, so consumers drop it on (alertId, sequence).
     */
    static KafkaSink<AlertTransition> alertsTopic(StreamingConfig config) {
        return KafkaSink.<AlertTransition>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setRecordSerializer(new AlertRecords(config.alertsTopic()))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setKafkaProducerConfig(alertProducer())
                .build();
    }

    private static Properties alertProducer() {
        Properties producer = new Properties();
        producer.setProperty("acks", "all");
        producer.setProperty("enable.idempotence", "true");
        producer.setProperty("linger.ms", "0");
        return producer;
    }

    /**
     * The SLO definitions topic, always from its earliest offset: the topic is compacted, so reading it whole
     * gives every live definition, which a job started without a checkpoint needs (a restored one has them in
     * its broadcast state and resumes from its checkpointed offsets). Subscribed by pattern, so a job started
     * before the API has created the topic runs without SLOs and finds the topic when it appears, instead of
     * failing on a missing topic.
     */
    static DataStream<DefinitionRecord> sloDefinitions(StreamExecutionEnvironment env, StreamingConfig config) {
        KafkaSource<DefinitionRecord> source = KafkaSource.<DefinitionRecord>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setTopicPattern(Pattern.compile(Pattern.quote(config.sloTopic())))
                .setGroupId(config.groupId())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setProperty("partition.discovery.interval.ms", "10000")
                // the API writes without transactions, which read_committed reads as well
                .setProperty("isolation.level", "read_committed")
                .setDeserializer(new DefinitionRecordDeserializer())
                .build();
        return env
                .fromSource(source, WatermarkStrategy.noWatermarks(), config.sloTopic())
                .uid("slo-definitions-source");
    }
}
