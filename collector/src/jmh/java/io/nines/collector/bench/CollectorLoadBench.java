package io.nines.collector.bench;

import io.nines.collector.otlp.OtlpJson;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The collector's load harness. Starts a Kafka broker ({@code KafkaBrokerMain}) and the collector
 * ({@code CollectorMain}, -Xmx512m, default budgets) as child JVMs, then measures in one run:
 * how fast plain protobuf-java parses a 1000-span request on one core; spans/s over OTLP/gRPC, OTLP/HTTP
 * protobuf and OTLP/HTTP JSON, and the collector's own CPU time for them (spans per CPU-second = spans/s per
 * core); its heap; and, with Kafka limited by a quota, three times the sustainable HTTP rate, where the excess must
 * be refused, the heap stay bounded and every acknowledged span be in Kafka exactly once ({@link Overload}).
 *
 * <p>Run from the checkout after {@code mvn -o -q -Pbench -pl collector -am package -DskipTests}:
 * {@code java -jar collector/target/benchmarks.jar [--seconds=15] [--clients=4] [--root=.] [--overload-quota-mib=8]}.
 */
public final class CollectorLoadBench {

    private static final int SPANS = 1000;
    private static final String COLLECTOR_MAIN = "io.nines.collector.CollectorMain";

    private final Path root;
    private final Duration phase;
    private final int clients;
    private final List<String> phases;
    private final String compression;
    private final long overloadQuota;
    private final List<String> report = new ArrayList<>();

    private CollectorLoadBench(Path root, Duration phase, int clients, List<String> phases, String compression,
            long overloadQuota) {
        this.root = root;
        this.phase = phase;
        this.clients = clients;
        this.phases = phases;
        this.compression = compression;
        this.overloadQuota = overloadQuota;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        new CollectorLoadBench(Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize(),
                Duration.ofSeconds(Integer.parseInt(options.getOrDefault("seconds", "15"))),
                Integer.parseInt(options.getOrDefault("clients", "4")),
                List.of(options.getOrDefault("phases", "grpc,http,json,overload").split(",")),
                options.getOrDefault("kafka-compression", "lz4"),
                (long) (Double.parseDouble(options.getOrDefault("overload-quota-mib", "8")) * 1024 * 1024)).run();
    }

    private void run() throws Exception {
        ExportTraceServiceRequest request = BenchSpans.request("bench", SPANS, 42);
        byte[] proto = request.toByteArray();
        byte[] json = new OtlpJson().print(request).getBytes(StandardCharsets.UTF_8);
        line("collector JVM: -Xmx512m %s; kafka-compression=%s; %d clients per phase of %d s",
                System.getProperty("nines.bench.collector.jvm", ""), compression, clients, phase.toSeconds());
        line("machine: %d cores (%s), Java %s; request: %d spans, %d bytes protobuf (%d per span), %d bytes JSON",
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"), SPANS,
                proto.length, proto.length / SPANS, json.length);
        double parsePerCore = parseBaseline(proto);
        line("protobuf-java parse, 1 thread: %,.0f spans/s per core", parsePerCore);

        Path data = Files.createTempDirectory("nines-bench-kafka");
        int kafkaPort = freePort();
        try (ChildProcess kafka = ChildProcess.start("kafka", root.resolve("infra"), "io.nines.infra.kafka.KafkaBrokerMain",
                List.of("-Xmx1g", "-XX:+UseParallelGC"), List.of("--host=127.0.0.1", "--port=" + kafkaPort,
                        "--controller-port=" + freePort(), "--path=" + data), "Kafka broker ready on",
                Duration.ofSeconds(180))) {
            String bootstrap = "127.0.0.1:" + kafkaPort;
            try (Collector collector = Collector.start(root, bootstrap, "bench_spans", compression)) {
                measure(collector, "warm-up (HTTP protobuf)", () -> Load.http(Load.httpClient(), collector.httpPort,
                        "application/x-protobuf", proto, false), parsePerCore, true);
                if (phases.contains("grpc")) {
                    measure(collector, "OTLP/gRPC", () -> Load.grpc(collector.grpcPort, proto), parsePerCore, false);
                }
                HttpClient http = Load.httpClient();
                measure(collector, "OTLP/HTTP protobuf", () -> Load.http(http,
                        collector.httpPort, "application/x-protobuf", proto, false), parsePerCore, false);
                if (phases.contains("json")) {
                    measure(collector, "OTLP/HTTP JSON", () -> Load.http(http, collector.httpPort, "application/json",
                            json, false), parsePerCore, false);
                }
            }
            if (phases.contains("overload")) {
                overload(bootstrap, overloadQuota);
            }
        } finally {
            // a run writes gigabytes; left behind, a few runs fill the disk
            deleteTree(data);
        }
        System.out.println();
        System.out.println("## Results");
        report.forEach(System.out::println);
    }

    /** @return acknowledged requests per second */
    private double measure(Collector collector, String name, java.util.function.Supplier<Load.Sender> senders,
            double parsePerCore, boolean warmUp) throws Exception {
        HeapSampler heap = HeapSampler.start(collector.metricsPort);
        Duration cpuBefore = collector.process.cpu();
        long started = System.nanoTime();
        // warming up twice as long lets the JIT finish, whose compiler threads would count as collector CPU
        Load load = Load.closedLoop(clients, warmUp ? phase.multipliedBy(2) : phase, senders);
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = (collector.process.cpu().minus(cpuBefore)).toNanos() / 1e9;
        heap.stop();
        long ok = load.count("200") + load.count("OK");
        double spansPerSecond = ok * SPANS / seconds;
        double perCore = ok * SPANS / cpu;
        if (!warmUp) {
            line("%s: %,.0f spans/s with %d clients; collector CPU %.2f cores -> %,.0f spans/s per core (%.2f of "
                            + "parsing alone); heap max %d MiB, RSS %d MiB -> %.0f bytes of heap per span/s; answers %s",
                    name, spansPerSecond, clients, cpu / seconds, perCore, perCore / parsePerCore, heap.max() >> 20,
                    collector.process.rssBytes() >> 20, heap.max() / spansPerSecond, load.answers());
        }
        return ok / seconds;
    }

    /**
     * Kafka limited to {@code quotaBytesPerSecond}: the sustainable rate with closed-loop clients, then three times
     * that offered open loop; the answers, the heap and an audit of the topic.
     */
    private void overload(String bootstrap, long quotaBytesPerSecond) throws Exception {
        String topic = "bench_overload";
        Overload.limitProducers(bootstrap, quotaBytesPerSecond);
        try (Collector collector = Collector.start(root, bootstrap, topic, compression)) {
            Overload overload = new Overload(bootstrap, topic, collector.httpPort, BenchSpans.request("overload", SPANS, 7));
            HeapSampler heap = HeapSampler.start(collector.metricsPort);
            long started = System.nanoTime();
            Load sustained = overload.closedLoop(clients, phase);
            double sustainable = sustained.count("200") / ((System.nanoTime() - started) / 1e9);
            line("Kafka limited to %,d bytes/s of record batches (producer_byte_rate, every user): %d closed-loop "
                            + "clients, %.1f requests/s acknowledged (%,.0f spans/s); answers %s", quotaBytesPerSecond,
                    clients, sustainable, sustainable * SPANS, sustained.answers());
            Overload.OpenLoop open = overload.openLoop(3 * sustainable, phase);
            heap.stop();
            double seconds = phase.toNanos() / 1e9;
            line("3x overload, open loop over HTTP protobuf with Expect: 100-continue for %d s: offered %d requests "
                            + "(%.1f/s), put on the wire %d (%.1f/s; %d not sent, %d outstanding at most), %d of them "
                            + "with their body; answers %s -> acknowledged %.1f/s; heap max %d MiB of 512",
                    phase.toSeconds(), open.offered(), open.offered() / seconds, open.sent(), open.sent() / seconds,
                    open.notSent(), Overload.MAX_OUTSTANDING, open.bodiesSent(), open.answers().answers(),
                    open.answers().count("200") / seconds, heap.max() >> 20);
            Overload.Audit audit = overload.audit();
            line("audit (read_committed, both phases): %,d requests acknowledged = %,d spans; in Kafka %,d requests, "
                            + "%,d spans; acknowledged but missing %d, duplicated or partial %d, in Kafka but never "
                            + "acknowledged %d -> %s", audit.acknowledgedRequests(), overload.acknowledgedSpans(),
                    audit.requestsInKafka(), audit.spansInKafka(), audit.acknowledgedMissing(),
                    audit.duplicatedOrPartial(), audit.unacknowledgedInKafka(),
                    audit.exactlyOnce() ? "every acknowledged span exactly once" : "MISMATCH");
        }
    }

    private double parseBaseline(byte[] proto) throws Exception {
        long parsed = 0;
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < end) {
            parsed += ExportTraceServiceRequest.parseFrom(proto).getResourceSpans(0).getScopeSpans(0).getSpansCount();
        }
        long cpuBefore = threadCpu();
        long started = System.nanoTime();
        end = started + phase.toNanos();
        parsed = 0;
        while (System.nanoTime() < end) {
            parsed += ExportTraceServiceRequest.parseFrom(proto).getResourceSpans(0).getScopeSpans(0).getSpansCount();
        }
        return parsed / ((threadCpu() - cpuBefore) / 1e9);
    }

    private static long threadCpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private void line(String format, Object... args) {
        String line = "- " + String.format(Locale.ROOT, format, args);
        System.out.println(line);
        report.add(line);
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
    }

    private static void deleteTree(Path root) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A collector child JVM with its ports. */
    private static final class Collector implements AutoCloseable {
        final ChildProcess process;
        final int httpPort;
        final int grpcPort;
        final int metricsPort;

        private Collector(ChildProcess process, int httpPort, int grpcPort, int metricsPort) {
            this.process = process;
            this.httpPort = httpPort;
            this.grpcPort = grpcPort;
            this.metricsPort = metricsPort;
        }

        static Collector start(Path root, String bootstrap, String topic, String compression) throws IOException {
            int http = freePort();
            int grpc = freePort();
            int metrics = freePort();
            List<String> args = new ArrayList<>(List.of("--otlp-http-port=" + http,
                    "--otlp-grpc-port=" + grpc, "--metrics-port=" + metrics, "--kafka-bootstrap=" + bootstrap,
                    "--spans-topic=" + topic, "--metrics-topic=" + topic + "_m", "--logs-topic=" + topic + "_l",
                    "--kafka-compression=" + compression));
            // -Dnines.bench.collector.args="--kafka-producers=1 ..." compares settings
            String extra = System.getProperty("nines.bench.collector.args");
            if (extra != null && !extra.isBlank()) {
                args.addAll(List.of(extra.trim().split("\\s+")));
            }
            ChildProcess process = ChildProcess.start("collector", root.resolve("collector"), COLLECTOR_MAIN,
                    jvmOptions(), args, "Collector ready", Duration.ofSeconds(60));
            return new Collector(process, http, grpc, metrics);
        }

        @Override
        public void close() throws InterruptedException {
            process.close();
        }

        /**
         * The launcher's flags, plus {@code -Dnines.bench.collector.jvm="..."}; {@code -Dnines.bench.jfr=FILE}
         * records a flight recording of the collector, for profiling.
         */
        private static List<String> jvmOptions() {
            // the launcher's flags: only the heap is set, the collector gets the JVM's default collector (G1)
            List<String> options = new ArrayList<>(List.of("-Xmx512m"));
            String extra = System.getProperty("nines.bench.collector.jvm");
            if (extra != null && !extra.isBlank()) {
                options.addAll(List.of(extra.trim().split("\\s+")));
            }
            String jfr = System.getProperty("nines.bench.jfr");
            if (jfr != null) {
                options.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
            }
            return options;
        }
    }

    /** The collector's heap in use, read from its {@code /metrics} twice a second; keeps the maximum. */
    private static final class HeapSampler {
        private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\",[^}]*\\} (\\S+)$");
        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        private final AtomicLong max = new AtomicLong();

        static HeapSampler start(int metricsPort) {
            HeapSampler heap = new HeapSampler();
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build();
            heap.sampler.scheduleAtFixedRate(() -> {
                try {
                    Matcher matcher = HEAP.matcher(client.send(request, HttpResponse.BodyHandlers.ofString()).body());
                    long used = 0;
                    while (matcher.find()) {
                        used += (long) Double.parseDouble(matcher.group(1));
                    }
                    heap.max.accumulateAndGet(used, Math::max);
                } catch (IOException | InterruptedException e) {
                    // a missed sample is harmless; the next one comes in half a second
                }
            }, 0, 500, TimeUnit.MILLISECONDS);
            return heap;
        }

        long max() {
            return max.get();
        }

        void stop() {
            sampler.shutdownNow();
        }
    }
}
