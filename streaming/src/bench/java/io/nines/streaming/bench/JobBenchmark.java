package io.nines.streaming.bench;

import io.nines.infra.testing.ChildJvm;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.streaming.clickhouse.ClickHouseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The streaming job as deployed ({@code StreamingMain} in its own JVM, checkpoints on) against a KRaft broker
 * and our ClickHouse server, each in its own JVM.
 *
 * <ul>
 *   <li>{@code --mode=throughput}: pre-loads {@code --spans} spans into a topic, starts the job, and measures
 *       wall time and the job JVM's CPU time until ClickHouse holds every span ({@code sum(count)} with
 *       {@code FINAL}); then runs {@link PlainAggregation} over the same bytes on one thread.
 *   <li>{@code --mode=freshness}: sends spans in real time (event time = now) for {@code --minutes} and
 *       measures, for each minute, the time from the watermark passing its end (its end plus the 5 s
 *       out-of-orderness) to its row being queryable. Early firing is set to 10 minutes, so the first row
 *       of a minute is the one emitted when it closes.
 * </ul>
 */
public final class JobBenchmark {

    private static final long OUT_OF_ORDERNESS_MS = 5_000;

    private JobBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        options.putIfAbsent("checkpoint-dir", Files.createTempDirectory("bench-checkpoints").toString());
        String mode = options.getOrDefault("mode", "throughput");
        try (EmbeddedKafka kafka = EmbeddedKafka.launch("bench-kafka");
             EmbeddedClickHouse clickHouse = EmbeddedClickHouse.launch("bench-clickhouse")) {
            String topic = "otlp_spans_bench";
            kafka.createTopic(topic, Integer.parseInt(options.getOrDefault("partitions", "1")));
            kafka.createTopic("slo_definitions_bench", 1, Map.of("cleanup.policy", "compact"));
            clickHouse.createDatabase("bench");
            if (mode.equals("throughput")) {
                throughput(kafka, clickHouse, topic, options);
            } else if (mode.equals("freshness")) {
                freshness(kafka, clickHouse, topic, options);
            } else {
                throw new IllegalArgumentException("--mode must be throughput or freshness, was " + mode);
            }
        }
    }

    private static void throughput(EmbeddedKafka kafka, EmbeddedClickHouse clickHouse, String topic,
                                   Map<String, String> options) throws Exception {
        long spans = Long.parseLong(options.getOrDefault("spans", "2000000"));
        int spansPerRecord = Integer.parseInt(options.getOrDefault("spans-per-record", "100"));
        BenchSpans generator = new BenchSpans(2026, spansPerRecord,
                Instant.parse("2026-11-29T00:00:00Z").toEpochMilli() * 1_000_000L, 2_000);
        List<byte[]> records = new ArrayList<>();
        long bytes = 0;
        for (long n = 0; n < spans; n += spansPerRecord) {
            byte[] record = generator.nextRecord();
            records.add(record);
            bytes += record.length;
        }
        long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            for (byte[] record : records) {
                producer.send(new ProducerRecord<>(topic, record));
            }
        }
        System.out.printf("pre-loaded %,d spans in %,d records (%,d MB, %.0f bytes/span) in %.1f s%n",
                records.size() * (long) spansPerRecord, records.size(), bytes >> 20,
                bytes / (double) (records.size() * (long) spansPerRecord), seconds(System.nanoTime() - started));

        try (ChildJvm job = startJob(kafka, clickHouse, topic, options, "1s");
             Connection connection = connect(clickHouse)) {
            ProcessHandle process = ProcessHandle.of(job.pid()).orElseThrow();
            long cpuStart = cpuNanos(process);
            long wallStart = System.nanoTime();
            long stored = 0;
            while (stored < spans) {
                Thread.sleep(100);
                stored = single(connection, "SELECT sum(count) FROM latency_minute FINAL");
            }
            long wall = System.nanoTime() - wallStart;
            long cpu = cpuNanos(process) - cpuStart;
            System.out.printf("job: %,d spans stored in %.1f s wall, %.1f s CPU of the job JVM: %,.0f spans/s,"
                            + " %,.0f spans/s per core (%.2f cores busy)%n", stored, seconds(wall), seconds(cpu),
                    stored / seconds(wall), stored / seconds(cpu), cpu / (double) wall);
            // Checkpoints taken while the spans were processed are part of the cost being measured: say how many
            // (checkpoint ids count up from 1; the retained one is the newest).
            long checkpoints;
            try (var paths = Files.walk(checkpoints(options))) {
                checkpoints = paths.map(path -> path.getFileName().toString()).filter(name -> name.startsWith("chk-"))
                        .mapToLong(name -> Long.parseLong(name.substring(4))).max().orElse(0);
            }
            System.out.printf("checkpoints taken by the job (interval %s): newest is number %d%n",
                    options.getOrDefault("checkpoint-interval", "10s"), checkpoints);
            System.out.printf("rows: %,d minutes (FINAL), %,d physical%n",
                    single(connection, "SELECT count() FROM latency_minute FINAL"),
                    single(connection, "SELECT count() FROM latency_minute"));
            double jobPerCore = stored / seconds(cpu);

            long best = Long.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                long loopStart = System.nanoTime();
                long counted = PlainAggregation.run(records);
                best = Math.min(best, System.nanoTime() - loopStart);
                if (counted != spans) {
                    throw new IllegalStateException("plain loop counted " + counted + " spans of " + spans);
                }
            }
            double loopRate = spans / seconds(best);
            System.out.printf("plain loop (1 thread, best of 3): %.2f s, %,.0f spans/s; job/loop per core %.2f%n",
                    seconds(best), loopRate, jobPerCore / loopRate);
        }
    }

    private static void freshness(EmbeddedKafka kafka, EmbeddedClickHouse clickHouse, String topic,
                                  Map<String, String> options) throws Exception {
        int minutes = Integer.parseInt(options.getOrDefault("minutes", "3"));
        int spansPerSecond = Integer.parseInt(options.getOrDefault("rate", "2000"));
        BenchSpans generator = new BenchSpans(7, 0, 0, 1);
        AtomicBoolean sending = new AtomicBoolean(true);
        try (ChildJvm job = startJob(kafka, clickHouse, topic, options, "10m");
             Connection connection = connect(clickHouse);
             KafkaProducer<String, byte[]> producer = producer(kafka)) {
            Thread sender = new Thread(() -> {
                // Every 100 ms, a tenth of a second's spans, ending now: event time keeps pace with the clock.
                while (sending.get()) {
                    long now = System.currentTimeMillis();
                    producer.send(new ProducerRecord<>(topic,
                            generator.recordEndingAt(now * 1_000_000L, spansPerSecond / 10)));
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-sender");
            sender.start();
            long firstMinute = (System.currentTimeMillis() / 60_000 + 1) * 60_000;
            Map<Long, Long> seenAt = new TreeMap<>();
            long lastMinute = firstMinute + (minutes - 1) * 60_000L;
            while (!seenAt.containsKey(lastMinute)) {
                Thread.sleep(50);
                long polled = System.currentTimeMillis();
                try (Statement statement = connection.createStatement();
                     ResultSet result = statement.executeQuery(
                             "SELECT DISTINCT toUnixTimestamp(minute) * 1000 FROM latency_minute")) {
                    while (result.next()) {
                        long minute = result.getLong(1);
                        if (minute >= firstMinute) {
                            seenAt.putIfAbsent(minute, polled);
                        }
                    }
                }
            }
            sending.set(false);
            sender.join();
            List<Long> freshness = new ArrayList<>();
            seenAt.forEach((minute, seen) -> {
                long closed = minute + 60_000 + OUT_OF_ORDERNESS_MS;
                freshness.add(seen - closed);
                System.out.printf("minute %s: queryable %d ms after the watermark could pass its end%n",
                        Instant.ofEpochMilli(minute), seen - closed);
            });
            freshness.sort(null);
            System.out.printf("freshness over %d minutes: min %d ms, median %d ms, max %d ms (poll every 50 ms)%n",
                    freshness.size(), freshness.get(0), freshness.get(freshness.size() / 2),
                    freshness.get(freshness.size() - 1));
        }
    }

    private static ChildJvm startJob(EmbeddedKafka kafka, EmbeddedClickHouse clickHouse, String topic,
                                     Map<String, String> options, String earlyFiring) throws Exception {
        Path checkpoints = checkpoints(options);
        List<String> jvmOptions = new ArrayList<>(List.of("-Xmx2g", "-XX:+UseParallelGC",
                "--add-opens", "java.base/java.util=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED"));
        if (options.containsKey("jfr")) {
            // --jfr=FILE records a Flight Recorder profile of the job JVM, to see where its time goes.
            jvmOptions.add("-XX:StartFlightRecording=filename=" + options.get("jfr") + ",settings=profile");
        }
        return ChildJvm.builder("bench-streaming", "io.nines.streaming.StreamingMain")
                .classpath(System.getProperty("java.class.path"))
                .jvmOptions(jvmOptions.toArray(String[]::new))
                .args("--kafka-bootstrap=" + kafka.bootstrapServers(), "--spans-topic=" + topic,
                        "--slo-topic=slo_definitions_bench", "--clickhouse-url=" + clickHouse.jdbcUrl("bench"),
                        "--checkpoint-dir=" + checkpoints,
                        "--checkpoint-interval=" + options.getOrDefault("checkpoint-interval", "10s"),
                        "--parallelism=" + options.getOrDefault("parallelism", "1"),
                        "--early-firing=" + earlyFiring)
                .readyLine("Streaming job running")
                .startupTimeout(Duration.ofSeconds(120))
                .start();
    }

    /** The run's checkpoint directory ({@code --checkpoint-dir}, else a new one), so it can count what the job left. */
    private static Path checkpoints(Map<String, String> options) {
        return Path.of(options.get("checkpoint-dir"));
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        // As our collector produces (lz4), so the job pays for decompression as it would in production.
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    private static Connection connect(EmbeddedClickHouse clickHouse) throws Exception {
        return ClickHouseOptions.of(clickHouse.jdbcUrl("bench"), "default", "").connect();
    }

    static long single(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? result.getLong(1) : 0;
        }
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().orElseThrow(
                () -> new IllegalStateException("no CPU time for process " + process.pid())).toNanos();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 3) {
                throw new IllegalArgumentException("expected --key=value, got '" + arg + "'");
            }
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return options;
    }
}
