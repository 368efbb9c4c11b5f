package io.nines.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.query.slo.SloSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SLO overview's load on the API: 500 SLOs (rolling 30d and 7d, Berlin calendar months, grouped, timeslices), each
 * with a minute row for every minute of the last 30 days (three groups for grouped SLOs: 30.2 million rows), then
 *
 * <ol>
 *   <li>all 500 statuses from {@code GET /api/v1/slo-statuses?limit=500} (one set of ClickHouse queries), three times;
 *   <li>all 500 from {@code GET /api/v1/slos/{name}/status} one after the other (a few queries per SLO: what the
 *       batch route did before), once;
 * </ol>
 *
 * and checks that every batch status equals the SLO's own status, field for field. Not part of the test suite (its
 * name does not end in Test); docs/benchmarks.md has the command and the figures.
 */
final class StatusPageBenchmark {

    private static final int SLOS = 500;

    public static void main(String[] args) throws Exception {
        // A fixed clock on a minute boundary: batch and single answers are then comparable field for field.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        try (EmbeddedClickHouse clickHouse = EmbeddedClickHouse.launch("bench-clickhouse");
                EmbeddedKafka kafka = EmbeddedKafka.launch("bench-kafka")) {
            String jdbc = clickHouse.jdbcUrl("bench");
            try (QueryApi api = QueryApi.start(QueryApiConfig.local("127.0.0.1", 0, jdbc, kafka.bootstrapServers())
                    .withSlos(new SloSettings(kafka.bootstrapServers(), "bench.slo-definitions", Optional.empty(),
                            "nines-streaming")), InstantSource.fixed(now))) {
                ApiClient client = new ApiClient(api.url());
                long seeding = System.nanoTime();
                List<String> names = createSlos(client);
                seedMinutes(clickHouse, now);
                System.out.printf("seeded %d SLOs and %s minute rows in %d s%n", SLOS,
                        clickHouse.execute("SELECT count() FROM bench.slo_minute").strip(),
                        (System.nanoTime() - seeding) / 1_000_000_000);

                List<Long> batchMs = new ArrayList<>();
                JsonNode batch = null;
                for (int run = 0; run < 3; run++) {
                    long started = System.nanoTime();
                    batch = ApiClient.json(client.get("/api/v1/slo-statuses?limit=500&groups=20"));
                    batchMs.add((System.nanoTime() - started) / 1_000_000);
                    require(batch.get("statuses").size() == SLOS, "batch answered " + batch.get("statuses").size());
                }
                long started = System.nanoTime();
                int differ = 0;
                for (int i = 0; i < SLOS; i++) {
                    JsonNode single = ApiClient.json(client.get("/api/v1/slos/" + names.get(i) + "/status?groups=20"));
                    if (!single.equals(batch.get("statuses").get(i))) {
                        differ++;
                        System.out.println("differs: " + names.get(i) + "\n  batch  " + batch.get("statuses").get(i)
                                + "\n  single " + single);
                    }
                }
                long singleMs = (System.nanoTime() - started) / 1_000_000;
                System.out.printf("batch route, 500 statuses in one request: %s ms (median %d ms)%n", batchMs,
                        batchMs.stream().sorted().toList().get(1));
                System.out.printf("per-SLO route, 500 requests one after the other: %d ms (%.1f ms each)%n", singleMs,
                        singleMs / (double) SLOS);
                System.out.printf("batch statuses that differ from the SLO's own: %d of %d%n", differ, SLOS);
            }
        }
    }

    /** POSTs of 20 documents (each well inside the request timeout); a fifth each of 30d, 7d, calendar month, grouped and timeslice SLOs. */
    private static List<String> createSlos(ApiClient client) {
        List<String> names = new ArrayList<>();
        StringBuilder documents = new StringBuilder();
        for (int i = 0; i < SLOS; i++) {
            String name = "slo-%03d".formatted(i);
            names.add(name);
            String document = switch (i % 5) {
                case 0 -> SloDocs.availability(name, "team" + i % 7, "svc" + i % 20, 0.999, "30d");
                case 1 -> SloDocs.availability(name, "team" + i % 7, "svc" + i % 20, 0.99, "7d");
                case 2 -> SloDocs.monthlyLatency(name);
                case 3 -> SloDocs.grouped(name);
                default -> SloDocs.timeslices(name);
            };
            documents.append(document).append("---\n");
            if (names.size() % 20 == 0) {
                var created = client.send("POST", "/api/v1/slos", "application/yaml", documents.toString());
                require(created.statusCode() == 201, "creating the SLOs failed: " + created.body());
                documents.setLength(0);
            }
        }
        return names;
    }

    /** Every minute of the last 30 days for every SLO, generated in ClickHouse; bad minutes vary per SLO. */
    private static void seedMinutes(EmbeddedClickHouse clickHouse, Instant now) {
        long start = now.minus(Duration.ofDays(30)).getEpochSecond();
        int minutes = 30 * 24 * 60;
        for (int first = 0; first < SLOS; first += 50) {
            // number = minute * 50 + slo offset within the chunk; grouped SLOs (i % 5 == 3) get three groups.
            clickHouse.execute(("INSERT INTO bench.slo_minute (slo, group_value, minute, good, total, version)"
                    + " SELECT concat('slo-', leftPad(toString(s), 3, '0')), g, toDateTime(%d, 'UTC') + m * 60,"
                    + " 1000 - if((m + s) %% 97 = 0, 30 + s %% 50, 0), 1000, 1"
                    + " FROM (SELECT %d + number %% 50 AS s, intDiv(number, 50) AS m FROM numbers(%d))"
                    + " ARRAY JOIN if(s %% 5 = 3, ['/a', '/b', '/c'], ['']) AS g")
                    .formatted(start, first, 50 * minutes));
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
