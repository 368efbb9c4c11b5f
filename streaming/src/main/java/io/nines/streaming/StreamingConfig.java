package io.nines.streaming;

import io.nines.core.config.CommandLine;
import io.nines.streaming.clickhouse.ClickHouseOptions;
import io.nines.streaming.job.JobOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.util.TimeUtils;

/**
 * Everything the streaming job is configured with, read once at startup: {@code --key=value} arguments
 * first, then {@code NINES_STREAMING_KEY} and {@code NINES_KEY} environment variables (upper case, dashes as
 * underscores), then defaults.
 *
 * <p>{@code --clickhouse-cluster} (default none: a single node) names the replicated ClickHouse cluster the
 * schema is migrated on, as the query API's option of the same name does; every process must agree on it.
 *
 * @param checkpointDir where checkpoints are kept, as a URI ({@code file:///...}, {@code s3://...})
 * @param alertsTopic the Kafka topic alert transitions go to ({@code nines.alerts})
 * @param metricsTopic the Kafka topic of OTLP metrics ({@code otlp_metrics}), whose latency histograms feed
 *     {@code metric_latency_minute}
 * @param rollupInterval how often closed hours and days of latency are rolled up ({@code latency_hour},
 *     {@code latency_day}; see {@code io.nines.streaming.rollup.LatencyRollup})
 */
record StreamingConfig(String kafkaBootstrap, String spansTopic, String groupId, ClickHouseOptions clickHouse,
                       Duration checkpointInterval, URI checkpointDir, JobOptions job, int parallelism,
                       String sloTopic, String jobName, Duration progressInterval, String alertsTopic,
                       String metricsTopic, Duration rollupInterval) {

    /** Every option with its documented default; an empty default means "required or empty allowed". */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("kafka-bootstrap", "127.0.0.1:9092"),
            Map.entry("spans-topic", "otlp_spans"),
            Map.entry("group-id", "nines-streaming"),
            Map.entry("clickhouse-url", "jdbc:clickhouse://127.0.0.1:8123/nines?compress=false"),
            Map.entry("clickhouse-user", "default"),
            Map.entry("clickhouse-password", ""),
            Map.entry("clickhouse-cluster", ""),
            Map.entry("checkpoint-interval", "10s"),
            Map.entry("checkpoint-dir", ""),
            Map.entry("out-of-orderness", "5s"),
            Map.entry("idleness", "30s"),
            Map.entry("allowed-lateness", "10m"),
            Map.entry("early-firing", "5s"),
            Map.entry("max-clock-skew", "10m"),
            Map.entry("parallelism", "1"),
            Map.entry("slo-topic", "nines.slo-definitions"),
            Map.entry("job-name", "nines-streaming"),
            Map.entry("progress-interval", "5s"),
            Map.entry("alerts-topic", "nines.alerts"),
            Map.entry("metrics-topic", "otlp_metrics"),
            Map.entry("rollup-interval", "1m"));

    StreamingConfig {
        requireText("kafka-bootstrap", kafkaBootstrap);
        requireText("spans-topic", spansTopic);
        requireText("metrics-topic", metricsTopic);
        requireText("group-id", groupId);
        requireText("slo-topic", sloTopic);
        requireText("job-name", jobName);
        requireText("alerts-topic", alertsTopic);
        if (progressInterval == null || progressInterval.isNegative() || progressInterval.isZero()) {
            throw new IllegalArgumentException("--progress-interval must be positive, was " + progressInterval);
        }
        if (rollupInterval == null || rollupInterval.isNegative() || rollupInterval.isZero()) {
            throw new IllegalArgumentException("--rollup-interval must be positive, was " + rollupInterval);
        }
        Objects.requireNonNull(clickHouse, "clickHouse");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(checkpointDir, "checkpointDir");
        if (checkpointInterval == null || checkpointInterval.isNegative() || checkpointInterval.isZero()) {
            throw new IllegalArgumentException("--checkpoint-interval must be positive, was " + checkpointInterval);
        }
        if (checkpointDir.getScheme() == null) {
            throw new IllegalArgumentException("--checkpoint-dir must be a URI with a scheme, was " + checkpointDir);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1, was " + parallelism);
        }
    }

    /**
     * Reads the configuration; unknown or malformed options fail here, at startup, not on first use.
     *
     * @param env the process environment; {@code NINES_HOME} sets the data directory whose
     *     {@code checkpoints/streaming} holds checkpoints unless {@code --checkpoint-dir} says otherwise
     */
    static StreamingConfig load(List<String> args, Map<String, String> env) {
        CommandLine cli = CommandLine.parse(args.toArray(String[]::new), env, "STREAMING", DEFAULTS.keySet());
        for (String key : DEFAULTS.keySet()) {
            // every option has been read from NINES_<KEY> since before the component variables existed
            if (!CommandLine.SHARED_KEYS.contains(key)) {
                cli = cli.alsoReading(key, "NINES_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
            }
        }
        var values = new Values(cli);
        String checkpointDir = values.get("checkpoint-dir");
        URI checkpoints = checkpointDir.isEmpty()
                ? dataDirectory(env).resolve("checkpoints").resolve("streaming").toUri()
                : toUri(checkpointDir);
        return new StreamingConfig(
                values.get("kafka-bootstrap"),
                values.get("spans-topic"),
                values.get("group-id"),
                ClickHouseOptions.of(values.get("clickhouse-url"), values.get("clickhouse-user"),
                        values.get("clickhouse-password"), values.get("clickhouse-cluster")),
                values.duration("checkpoint-interval"),
                checkpoints,
                new JobOptions(values.duration("out-of-orderness"), values.duration("idleness"),
                        values.duration("allowed-lateness"), values.duration("early-firing"),
                        values.duration("max-clock-skew")),
                values.integer("parallelism"),
                values.get("slo-topic"),
                values.get("job-name"),
                values.duration("progress-interval"),
                values.get("alerts-topic"),
                values.get("metrics-topic"),
                values.duration("rollup-interval"));
    }

    private static Path dataDirectory(Map<String, String> env) {
        String home = env.get("NINES_HOME");
        return (home == null || home.isBlank() ? Path.of(".nines") : Path.of(home)).toAbsolutePath();
    }

    private static URI toUri(String location) {
        return location.contains("://") ? URI.create(location) : Path.of(location).toAbsolutePath().toUri();
    }

    private static void requireText(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + option + " must not be empty");
        }
    }

    /** The options with their {@link #DEFAULTS}; durations in Flink's notation ({@code 500ms}, {@code 10 s}, {@code 2min}). */
    private record Values(CommandLine cli) {

        String get(String key) {
            return cli.string(key, DEFAULTS.get(key));
        }

        Duration duration(String key) {
            String value = get(key);
            try {
                return TimeUtils.parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--" + key + " must be a duration such as 500ms, 10s or 10m, was '" + value + "'", e);
            }
        }

        int integer(String key) {
            return cli.integer(key, Integer.parseInt(DEFAULTS.get(key)));
        }
    }

    @Override
    public String toString() {
        return "StreamingConfig[kafkaBootstrap=" + kafkaBootstrap + ", spansTopic=" + spansTopic + ", groupId="
                + groupId + ", clickHouse=" + clickHouse + ", checkpointInterval=" + checkpointInterval
                + ", checkpointDir=" + checkpointDir + ", job=" + job + ", parallelism=" + parallelism + ", sloTopic="
                + sloTopic + ", jobName=" + jobName + ", progressInterval=" + progressInterval + ", alertsTopic=" + alertsTopic
                + ", metricsTopic=" + metricsTopic + ", rollupInterval=" + rollupInterval + "]";
    }
}
