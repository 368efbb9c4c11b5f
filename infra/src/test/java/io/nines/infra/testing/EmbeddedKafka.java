package io.nines.infra.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A single-node KRaft broker ({@code io.nines.infra.kafka.KafkaBrokerMain}) in a child JVM, on free ports with
 * a fresh data directory. {@link #stop()} and {@link #start()} restart it on the same ports and data, for
 * outage tests. Topics are created automatically on first use with one partition; {@link #createTopic} makes
 * others.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final String BROKER_MAIN = "io.nines.infra.kafka.KafkaBrokerMain";
    private static final String TOPICS_MAIN = "io.nines.infra.kafka.KafkaTopicsMain";
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(90);

    private final String name;
    private final int port;
    private final RestartableChild broker;

    private EmbeddedKafka(String name, int port, RestartableChild broker) {
        this.name = name;
        this.port = port;
        this.broker = broker;
    }

    /** Starts a broker and returns once it serves clients; the log is {@code target/child-logs/<name>.log}. */
    public static EmbeddedKafka launch(String name) {
        int port = FreePorts.next();
        int controllerPort = FreePorts.next();
        Path dataDir = TempDirs.create(name);
        ChildJvm.Builder launch = ChildJvm.builder(name, BROKER_MAIN)
                .jvmOptions("-Xmx512m", "-XX:+UseSerialGC")
                .args("--host=127.0.0.1", "--port=" + port, "--controller-port=" + controllerPort, "--path=" + dataDir)
                .readyLine(Pattern.compile("Kafka broker ready on 127\\.0\\.0\\.1:" + port + "\\b"));
        return new EmbeddedKafka(name, port, RestartableChild.started(name, launch, dataDir));
    }

    public static EmbeddedKafka launch() {
        return launch("kafka");
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return broker.dataDir();
    }

    public boolean isRunning() {
        return broker.isRunning();
    }

    /** How long the last start took until the broker served clients. */
    public Duration startupTime() {
        return broker.startupTime();
    }

    /** Starts the broker again after {@link #stop()}, with the same ports and data; no-op if it runs. */
    public void start() {
        broker.start();
    }

    /** Shuts the broker down cleanly (SIGTERM), keeping its data for {@link #start()}. */
    public void stop() {
        broker.stop();
    }

    /** Creates a topic with replication factor 1; fails if it exists. */
    public void createTopic(String topic, int partitions) {
        createTopic(topic, partitions, Map.of());
    }

    /** Creates a topic with topic-level settings such as {@code cleanup.policy=compact}; fails if it exists. */
    public void createTopic(String topic, int partitions, Map<String, String> configs) {
        String configList = configs.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        ChildJvm tool = ChildJvm.builder(name + "-topics", TOPICS_MAIN)
                .jvmOptions("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                .args("--bootstrap-servers=" + bootstrapServers(), "--topic=" + topic,
                        "--partitions=" + partitions, "--configs=" + configList)
                .start();
        int status = tool.awaitExit(TOPIC_TIMEOUT);
        if (status != 0) {
            throw new AssertionError("creating topic " + topic + " on " + bootstrapServers() + " failed with status "
                    + status + ":\n" + String.join("\n", tool.tail()));
        }
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() {
        broker.close();
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", data " + dataDir() + "]";
    }
}
