package io.nines.query.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nines.infra.testing.ChildJvm;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Load on SLO status through the real API in its own JVM: starts ClickHouse and Kafka (the test harness), the API
 * ({@code QueryApiMain}, authentication on) with 30 days of minutes for one SLO, then from this process:
 *
 * <ol>
 *   <li>200 requests/s of {@code GET /api/v1/slos/{name}/status}, spread over 20 tokens, for 30 s;
 *   <li>one token flooding at 10x its limit (20/s) while another sends within its limit, for 30 s.
 * </ol>
 *
 * <p>Open loop: requests go out on a fixed schedule whatever the answers do, and latency counts from the moment a
 * request was due, so a slow server cannot hide its slowness by slowing the generator (coordinated omission).
 */
public final class StatusLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIMIT = 20;
    private static final String SLO = "checkout-availability";

    private record Sample(long nanos, int status) {}

    private final ExecutorService callbacks = Executors.newFixedThreadPool(8);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(callbacks).build();
    private final URI base;

    private StatusLoad(URI base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        Duration phase = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 30);
        Path home = Files.createTempDirectory("nines-load");
        try (EmbeddedClickHouse clickHouse = EmbeddedClickHouse.launch("load-clickhouse");
                EmbeddedKafka kafka = EmbeddedKafka.launch("load-kafka")) {
            int port = freePort();
            String jdbc = clickHouse.jdbcUrl("load");
            try (ChildJvm api = ChildJvm.builder("load-query-api", "io.nines.query.QueryApiMain")
                    .classpath(classpath())
                    .jvmOptions("-Xmx512m")
                    .args("--port=" + port, "--clickhouse-url=" + jdbc, "--kafka-bootstrap=" + kafka.bootstrapServers(),
                            "--admin-token-file=" + home.resolve("admin.token"), "--rate-limit-per-second=" + LIMIT)
                    .readyLine("Query API ready on ")
                    .startupTimeout(Duration.ofSeconds(120))
                    .start()) {
                StatusLoad load = new StatusLoad(URI.create("http://127.0.0.1:" + port));
                String admin = Files.readString(home.resolve("admin.token")).strip();
                load.seed(admin, clickHouse);
                List<String> tokens = new ArrayList<>();
                for (int i = 0; i < 22; i++) {
                    tokens.add(load.token(admin, "team" + i));
                }
                load.run(List.of(new Stream("warm-up", tokens.subList(0, 20), 100)), Duration.ofSeconds(10));
                System.out.println(load.run(List.of(new Stream("status", tokens.subList(0, 20), 200)), phase));
                System.out.println(load.run(List.of(new Stream("flooding token", tokens.subList(20, 21), 10 * LIMIT),
                        new Stream("other token", tokens.subList(21, 22), LIMIT / 2)), phase));
                // Its threads are not daemons: without this the JVM would outlive the run.
                load.callbacks.shutdown();
            }
        }
    }

    /** Requests at {@code perSecond}, round robin over {@code tokens}. */
    private record Stream(String name, List<String> tokens, int perSecond) {}

    private String run(List<Stream> streams, Duration length) throws InterruptedException {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        List<ConcurrentLinkedQueue<Sample>> results = new ArrayList<>();
        List<CompletableFuture<?>> inFlight = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        for (Stream stream : streams) {
            ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
            results.add(samples);
            long interval = 1_000_000_000L / stream.perSecond();
            long count = length.toNanos() / interval;
            AtomicInteger next = new AtomicInteger();
            for (long i = 0; i < count; i++) {
                long due = start + i * interval;
                scheduler.schedule(() -> {
                    String token = stream.tokens().get(next.getAndIncrement() % stream.tokens().size());
                    HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/slos/" + SLO + "/status"))
                            .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).GET().build();
                    inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                            .handle((response, failure) -> samples.add(new Sample(System.nanoTime() - due,
                                    failure == null ? response.statusCode() : -1))));
                }, due - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
        }
        scheduler.shutdown();
        scheduler.awaitTermination(length.toSeconds() + 30, TimeUnit.SECONDS);
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
        StringBuilder report = new StringBuilder();
        for (int s = 0; s < streams.size(); s++) {
            report.append(report(streams.get(s), length, new ArrayList<>(results.get(s)))).append('\n');
        }
        return report.toString();
    }

    private static String report(Stream stream, Duration length, List<Sample> samples) {
        long[] ok = samples.stream().filter(s -> s.status() == 200).mapToLong(Sample::nanos).sorted().toArray();
        long limited = samples.stream().filter(s -> s.status() == 429).count();
        String other = samples.stream().filter(s -> s.status() != 200 && s.status() != 429)
                .collect(Collectors.groupingBy(s -> s.status() == -1 ? "no answer" : Integer.toString(s.status()),
                        java.util.TreeMap::new, Collectors.counting())).toString();
        return String.format("%-15s %4d req/s for %d s: %6d sent, %6d 200, %6d 429, other %s; 200s: p50 %.1f ms,"
                        + " p99 %.1f ms, p99.9 %.1f ms, max %.1f ms", stream.name(), stream.perSecond(),
                length.toSeconds(), samples.size(), ok.length, limited, other, millis(ok, 0.5), millis(ok, 0.99),
                millis(ok, 0.999), ok.length == 0 ? 0 : ok[ok.length - 1] / 1e6);
    }

    private static double millis(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.floor(q * (sorted.length - 1))] / 1e6;
    }

    /** One SLO over 30 days of minutes at 10 000 events each, the last hour burning at 14.4. */
    private void seed(String admin, EmbeddedClickHouse clickHouse) throws Exception {
        String slo = """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: %s, labels: {team: payments}}
                spec:
                  service: checkout
                  indicator:
                    metadata: {name: checkout-success}
                    spec:
                      ratioMetric:
                        counter: true
                        good:  {metricSource: {type: nines.spans, spec: {service: checkout, outcome: success}}}
                        total: {metricSource: {type: nines.spans, spec: {service: checkout}}}
                  timeWindow: [{duration: 30d, isRolling: true}]
                  budgetingMethod: Occurrences
                  objectives: [{displayName: availability, target: 0.999}]
                """.formatted(SLO);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/slos"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(slo)).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("seeding the SLO failed: " + created.body());
        }
        long start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(30)).getEpochSecond();
        clickHouse.execute("INSERT INTO load.slo_minute SELECT '" + SLO + "', '', toDateTime(" + start
                + ", 'UTC') + number * 60, 10000 - if(number >= 43200 - 60, 144, 0), 10000, 1 FROM numbers(43200)");
    }

    private String token(String admin, String team) throws Exception {
        while (true) {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/tokens"))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"team\":\"" + team + "\",\"role\":\"viewer\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() == 201) {
                return JSON.readTree(created.body()).get("token").asText();
            }
            if (created.statusCode() != 429) {
                throw new IllegalStateException("creating a token failed: " + created.body());
            }
            // The admin token has the same limit as the others: wait as the API asks.
            Thread.sleep(1000L * Long.parseLong(created.headers().firstValue("Retry-After").orElse("1")));
        }
    }

    /** The classpath this process runs with, also under {@code mvn exec:java}, whose own classpath is Maven's. */
    private static String classpath() {
        if (StatusLoad.class.getClassLoader() instanceof URLClassLoader loader) {
            return Arrays.stream(loader.getURLs()).map(URL::getPath).collect(Collectors.joining(":"));
        }
        return System.getProperty("java.class.path");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
