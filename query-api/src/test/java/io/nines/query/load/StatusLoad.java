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
 * ({@code QueryApiMain}, authentication on) with 30 days of minutes for each SLO, then from this process:
 *
 * <ol>
 *   <li>200 requests/s of {@code GET /api/v1/slos/{name}/status}, spread over 20 tokens and round robin over the
 *       SLOs, for 30 s;
 *   <li>one token flooding at 10x its limit (20/s) while another sends within its limit, for 30 s.
 * </ol>
 *
 * <p>Options: {@code [seconds per phase]} (30), {@code --slos=N} SLOs to spread the status phase over (1; with
 * one, nearly every request is a cache hit), {@code --fresh-for-ms=A,B} runs everything once per value, each on a
 * fresh ClickHouse, Kafka and API started with that {@code --fresh-for-ms} (the API's default; 0 sends every
 * request to ClickHouse), {@code --no-flood} skips the second phase.
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
    private final List<String> slos;

    private StatusLoad(URI base, List<String> slos) {
        this.base = base;
        this.slos = slos;
    }

    /** What a run does; see the class comment. {@code freshFor} empty: the API's default. */
    private record Options(Duration phase, int slos, List<String> freshFor, boolean flood) {
        Options {
            if (slos < 1) {
                throw new IllegalArgumentException("--slos must be positive, was " + slos);
            }
        }

        static Options parse(String[] args) {
            Duration phase = Duration.ofSeconds(30);
            int slos = 1;
            List<String> freshFor = List.of("");
            boolean flood = true;
            for (String arg : args) {
                if (arg.startsWith("--slos=")) {
                    slos = Integer.parseInt(arg.substring("--slos=".length()));
                } else if (arg.startsWith("--fresh-for-ms=")) {
                    freshFor = List.of(arg.substring("--fresh-for-ms=".length()).split(","));
                } else if (arg.equals("--no-flood")) {
                    flood = false;
                } else {
                    phase = Duration.ofSeconds(Integer.parseInt(arg));
                }
            }
            return new Options(phase, slos, freshFor, flood);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        for (String freshFor : options.freshFor()) {
            System.out.println("--- " + options.slos() + " SLO(s), --fresh-for-ms="
                    + (freshFor.isEmpty() ? "default" : freshFor) + " ---");
            run(options, freshFor);
        }
    }

    private static void run(Options options, String freshFor) throws Exception {
        Duration phase = options.phase();
        Path home = Files.createTempDirectory("nines-load");
        try (EmbeddedClickHouse clickHouse = EmbeddedClickHouse.launch("load-clickhouse");
                EmbeddedKafka kafka = EmbeddedKafka.launch("load-kafka")) {
            int port = freePort();
            String jdbc = clickHouse.jdbcUrl("load");
            List<String> apiArgs = new ArrayList<>(List.of("--port=" + port, "--clickhouse-url=" + jdbc,
                    "--kafka-bootstrap=" + kafka.bootstrapServers(), "--admin-token-file=" + home.resolve("admin.token"),
                    "--rate-limit-per-second=" + LIMIT));
            if (!freshFor.isEmpty()) {
                apiArgs.add("--fresh-for-ms=" + freshFor);
            }
            try (ChildJvm api = ChildJvm.builder("load-query-api", "io.nines.query.QueryApiMain")
                    .classpath(classpath())
                    .jvmOptions("-Xmx512m")
                    .args(apiArgs.toArray(String[]::new))
                    .readyLine("Query API ready on ")
                    .startupTimeout(Duration.ofSeconds(120))
                    .start()) {
                StatusLoad load = new StatusLoad(URI.create("http://127.0.0.1:" + port), names(options.slos()));
                String admin = Files.readString(home.resolve("admin.token")).strip();
                load.seed(admin, clickHouse);
                List<String> tokens = new ArrayList<>();
                for (int i = 0; i < 22; i++) {
                    tokens.add(load.token(admin, "team" + i));
                }
                load.run(List.of(new Stream("warm-up", tokens.subList(0, 20), 100)), Duration.ofSeconds(10));
                System.out.println(load.run(List.of(new Stream("status", tokens.subList(0, 20), 200)), phase));
                if (options.flood()) {
                    System.out.println(load.run(List.of(new Stream("flooding token", tokens.subList(20, 21),
                            10 * LIMIT), new Stream("other token", tokens.subList(21, 22), LIMIT / 2)), phase));
                }
                // Its threads are not daemons: without this the JVM would outlive the run.
                load.callbacks.shutdown();
            }
        }
    }

    /** One SLO keeps the name the earlier figures used; more are numbered. */
    private static List<String> names(int count) {
        if (count == 1) {
            return List.of(SLO);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(SLO + "-" + i);
        }
        return names;
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
                    int n = next.getAndIncrement();
                    String token = stream.tokens().get(n % stream.tokens().size());
                    // Round robin over the SLOs too: with 50, each is asked 4 times a second at 200 requests/s.
                    String slo = slos.get(n % slos.size());
                    HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/slos/" + slo + "/status"))
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

    /** Each SLO over 30 days of minutes at 10 000 events each, the last hour burning at 14.4. */
    private void seed(String admin, EmbeddedClickHouse clickHouse) throws Exception {
        long start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(30)).getEpochSecond();
        for (String name : slos) {
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
                    """.formatted(name);
            HttpResponse<String> created = admin(admin, HttpRequest.newBuilder(base.resolve("/api/v1/slos"))
                    .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(slo)));
            if (created.statusCode() != 201) {
                throw new IllegalStateException("seeding the SLO failed: " + created.body());
            }
            // The name is ours ([a-z0-9-]), so it may stand in the statement.
            clickHouse.execute("INSERT INTO load.slo_minute SELECT '" + name + "', '', toDateTime(" + start
                    + ", 'UTC') + number * 60, 10000 - if(number >= 43200 - 60, 144, 0), 10000, 1 FROM numbers(43200)");
        }
    }

    /** A request of the admin's, waiting out its rate limit as the API asks. */
    private HttpResponse<String> admin(String admin, HttpRequest.Builder request) throws Exception {
        while (true) {
            HttpResponse<String> answer = http.send(request.copy().header("Authorization", "Bearer " + admin).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 429) {
                return answer;
            }
            Thread.sleep(1000L * Long.parseLong(answer.headers().firstValue("Retry-After").orElse("1")));
        }
    }

    private String token(String admin, String team) throws Exception {
        HttpResponse<String> created = admin(admin, HttpRequest.newBuilder(base.resolve("/api/v1/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"team\":\"" + team + "\",\"role\":\"viewer\"}")));
        if (created.statusCode() != 201) {
            throw new IllegalStateException("creating a token failed: " + created.body());
        }
        return JSON.readTree(created.body()).get("token").asText();
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
