package io.nines.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingConfigTest {

    @Test
    void usesTheDocumentedLocalDefaults() {
        StreamingConfig config = StreamingConfig.load(List.of(), Map.of("NINES_HOME", "/var/lib/nines"));

        assertThat(config.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(config.spansTopic()).isEqualTo("otlp_spans");
        assertThat(config.groupId()).isEqualTo("nines-streaming");
        assertThat(config.clickHouse().jdbcUrl()).isEqualTo("jdbc:clickhouse://127.0.0.1:8123/nines?compress=false");
        assertThat(config.clickHouse().database()).isEqualTo("nines");
        assertThat(config.clickHouse().user()).isEqualTo("default");
        assertThat(config.clickHouse().password()).isEmpty();
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.checkpointDir()).isEqualTo(URI.create("file:///var/lib/nines/checkpoints/streaming"));
        assertThat(config.job().outOfOrderness()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.job().idleness()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.job().allowedLateness()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.job().earlyFiring()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.job().maxClockSkew()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.parallelism()).isEqualTo(1);
    }

    @Test
    void readsTheSloTopicJobNameAndProgressInterval() {
        StreamingConfig defaults = StreamingConfig.load(List.of(), Map.of());
        StreamingConfig given = StreamingConfig.load(List.of("--slo-topic=slos", "--job-name=nines-eu",
                "--progress-interval=2s"), Map.of());

        assertThat(defaults.sloTopic()).isEqualTo("nines.slo-definitions");
        assertThat(defaults.jobName()).isEqualTo("nines-streaming");
        assertThat(defaults.progressInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(given.sloTopic()).isEqualTo("slos");
        assertThat(given.jobName()).isEqualTo("nines-eu");
        assertThat(given.progressInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> StreamingConfig.load(List.of("--progress-interval=0s"), Map.of()))
                .hasMessageContaining("--progress-interval must be positive");
    }

    @Test
    void rollsUpEveryMinuteUnlessToldOtherwiseAndRefusesAZeroInterval() {
        assertThat(StreamingConfig.load(List.of(), Map.of()).rollupInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(StreamingConfig.load(List.of("--rollup-interval=30s"), Map.of()).rollupInterval())
                .isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> StreamingConfig.load(List.of("--rollup-interval=0s"), Map.of()))
                .hasMessageContaining("--rollup-interval must be positive, was PT0S");
    }

    @Test
    void takesArgumentsOverEnvironmentOverDefaults() {
        StreamingConfig config = StreamingConfig.load(
                List.of("--allowed-lateness=2m", "--clickhouse-url=jdbc:clickhouse://ch:8123/prod"),
                Map.of("NINES_ALLOWED_LATENESS", "30m", "NINES_EARLY_FIRING", "500ms",
                        "NINES_KAFKA_BOOTSTRAP", "kafka-0:9092,kafka-1:9092", "NINES_CHECKPOINT_DIR", "s3://bucket/ck"));

        assertThat(config.job().allowedLateness()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.job().earlyFiring()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.kafkaBootstrap()).isEqualTo("kafka-0:9092,kafka-1:9092");
        assertThat(config.clickHouse().database()).isEqualTo("prod");
        assertThat(config.checkpointDir()).isEqualTo(URI.create("s3://bucket/ck"));
    }

    @Test
    void rejectsUnknownAndMalformedOptionsNamingThem() {
        assertThatThrownBy(() -> StreamingConfig.load(List.of("--alowed-lateness=1m"), Map.of()))
                .hasMessageContaining("unknown option --alowed-lateness");
        assertThatThrownBy(() -> StreamingConfig.load(List.of("allowed-lateness=1m"), Map.of()))
                .hasMessageContaining("expected --key=value");
        assertThatThrownBy(() -> StreamingConfig.load(List.of("--early-firing=soon"), Map.of()))
                .hasMessageContaining("--early-firing").hasMessageContaining("'soon'");
        assertThatThrownBy(() -> StreamingConfig.load(List.of("--early-firing=0s"), Map.of()))
                .hasMessageContaining("earlyFiring must be positive");
        assertThatThrownBy(() -> StreamingConfig.load(List.of("--max-clock-skew=-1m"), Map.of()))
                .hasMessageContaining("--max-clock-skew");
        assertThatThrownBy(() -> StreamingConfig.load(List.of("--parallelism=0"), Map.of()))
                .hasMessageContaining("--parallelism must be at least 1, was 0");
        assertThatThrownBy(() -> StreamingConfig.load(List.of("--clickhouse-url=jdbc:clickhouse://ch:8123"), Map.of()))
                .hasMessageContaining("must name a database");
    }

    @Test
    void readsTheClickHouseClusterFromArgumentsOrEnvironmentAndDefaultsToOneNode() {
        StreamingConfig defaults = StreamingConfig.load(List.of(), Map.of());
        StreamingConfig fromEnv = StreamingConfig.load(List.of(), Map.of("NINES_CLICKHOUSE_CLUSTER", "prod"));
        StreamingConfig fromArgs = StreamingConfig.load(List.of("--clickhouse-cluster=eu_west"),
                Map.of("NINES_CLICKHOUSE_CLUSTER", "prod"));

        assertThat(defaults.clickHouse().schema().cluster()).isEmpty();
        assertThat(fromEnv.clickHouse().schema().cluster()).contains("prod");
        assertThat(fromArgs.clickHouse().schema().cluster()).contains("eu_west");
        assertThat(fromArgs.clickHouse().schema().database()).isEqualTo("nines");
        assertThatThrownBy(() -> StreamingConfig.load(List.of("--clickhouse-cluster=prod; DROP"), Map.of()))
                .hasMessageContaining("cluster must be a plain ClickHouse identifier").hasMessageContaining("prod; DROP");
    }

    @Test
    void neverPrintsThePassword() {
        StreamingConfig config = StreamingConfig.load(List.of("--clickhouse-password=s3cret"), Map.of());

        assertThat(config.clickHouse().password()).isEqualTo("s3cret");
        assertThat(config.toString()).doesNotContain("s3cret");
    }

    @Test
    void findsTheNewestCompletedCheckpointOfAnyEarlierRun(@TempDir Path dir) throws Exception {
        Path older = Files.createDirectories(dir.resolve("job-a/chk-7"));
        Files.writeString(older.resolve("_metadata"), "");
        Path newer = Files.createDirectories(dir.resolve("job-b/chk-3"));
        Files.writeString(newer.resolve("_metadata"), "");
        Files.setLastModifiedTime(older.resolve("_metadata"), java.nio.file.attribute.FileTime.fromMillis(1_000));
        Files.createDirectories(dir.resolve("job-b/chk-4"));
        Files.createDirectories(dir.resolve("job-b/shared"));

        assertThat(RetainedCheckpoints.latest(dir.toUri())).contains(newer);
        assertThat(RetainedCheckpoints.latest(dir.resolve("missing").toUri())).isEmpty();
        assertThat(RetainedCheckpoints.latest(URI.create("s3://bucket/ck"))).isEmpty();
    }
}
