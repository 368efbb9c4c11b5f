package io.nines.query;

import static io.nines.query.SloMinutes.minus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.nines.query.slo.SloSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SLO status from {@code slo_minute} rows written here as the stream would write them; every figure is compared
 * with the same figure computed in the test from the rows (counts exactly, ratios to 1e-9).
 */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SloStatusApiTest {

    static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");
    static final Map<String, Duration> LOOKBACKS = lookbacks();
    private static final String SLOS = "/api/v1/slos";

    private final SloMinutes minutes = new SloMinutes();
    private EmbeddedClickHouse clickHouse;
    private String database;
    private QueryApi api;
    private ApiClient client;

    @BeforeAll
    void startApiOverKnownMinutes(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka) throws Exception {
        this.clickHouse = clickHouse;
        database = NinesInfra.uniqueName("status");
        String bootstrap = kafka.bootstrapServers();
        api = QueryApi.start(QueryApiConfig.local("127.0.0.1", 0, clickHouse.jdbcUrl(database), bootstrap)
                .withSlos(new SloSettings(bootstrap, NinesInfra.uniqueName("slo_status"), Optional.empty(),
                        "nines-streaming")), InstantSource.fixed(NOW));
        client = new ApiClient(api.url());
        for (String slo : List.of(SloDocs.availability("avail", 0.999), SloDocs.monthlyLatency("monthly"),
                SloDocs.grouped("routes"), SloDocs.timeslices("slices"),
                SloDocs.availability("workbook-fast", 0.999), SloDocs.availability("workbook-slow", 0.999),
                SloDocs.availability("hist", "payments", "checkout", 0.99, "1h"), SloDocs.monthlyLatency("late-month"),
                SloDocs.grouped("capped").replace("team: discovery", "team: payments").replace("maxGroups: 50",
                        "maxGroups: 2"))) {
            assertThat(client.send("POST", SLOS, "application/yaml", slo).statusCode()).isEqualTo(201);
        }
        availability();
        calendar();
        groups();
        slices();
        history();
        minutes.insert(clickHouse.jdbcUrl(database));
        // A stale lower version written after the newer one, as a replay would: FINAL must still prefer version 2.
        new SloMinutes().add("avail", "", minus(NOW, "PT20M"), 0, 9999, 1).insert(clickHouse.jdbcUrl(database));
        // Steady traffic for the workbook: 10 000 events a minute over the 30 days before now, generated in
        // ClickHouse; the last hour fails 1.44 % (burn rate 14.4), or the last six hours 0.6 % (burn rate 6).
        long start = minus(NOW, "P30D").getEpochSecond();
        clickHouse.execute("INSERT INTO " + database + ".slo_minute SELECT 'workbook-fast', '', toDateTime(" + start
                + ", 'UTC') + number * 60, 10000 - if(number >= 43200 - 60, 144, 0), 10000, 1 FROM numbers(43200)");
        clickHouse.execute("INSERT INTO " + database + ".slo_minute SELECT 'workbook-slow', '', toDateTime(" + start
                + ", 'UTC') + number * 60, 10000 - if(number >= 43200 - 360, 60, 0), 10000, 1 FROM numbers(43200)");
    }

    @AfterAll
    void stopApi() {
        api.close();
    }

    private void availability() {
        minutes.add("avail", minus(NOW, "PT1M"), 990, 1000)
                .add("avail", minus(NOW, "PT3M"), 500, 500)
                .add("avail", "", minus(NOW, "PT20M"), 1995, 2000, 2)
                .add("avail", minus(NOW, "PT45M"), 100, 120)
                .add("avail", minus(NOW, "PT90M"), 2990, 3000)
                .add("avail", minus(NOW, "PT5H"), 700, 710)
                .add("avail", minus(NOW, "PT20H"), 10_000, 10_007)
                .add("avail", minus(NOW, "P2D"), 5000, 5050)
                .add("avail", minus(NOW, "P10D"), 800_000, 800_010)
                .add("avail", minus(minus(NOW, "P30D"), "-PT1M"), 1000, 1001)
                .add("avail", minus(NOW, "P30D"), 400, 401)
                .add("avail", minus(minus(NOW, "P30D"), "PT1M"), 999, 1999)
                .add("avail", NOW, 1, 5)
                .add("other", minus(NOW, "PT1M"), 0, 777);
    }

    @Test
    void statusEqualsTheBudgetArithmeticOverTheStoredMinutes() {
        JsonNode status = ok(SLOS + "/avail/status");

        SloMinutes.Sums window = minutes.sum("avail", minus(NOW, "P30D"), NOW);
        assertThat(window.total()).isEqualTo(1000 + 500 + 2000 + 120 + 3000 + 710 + 10_007 + 5050 + 800_010 + 1001 + 401);
        assertThat(window.remaining(0.999)).isBetween(0.8, 0.9);
        assertThat(status.get("name").asText()).isEqualTo("avail");
        assertThat(status.get("team").asText()).isEqualTo("payments");
        assertThat(status.get("service").asText()).isEqualTo("checkout");
        assertThat(status.get("target").asDouble()).isEqualTo(0.999);
        assertThat(status.get("window").asText()).isEqualTo("30d");
        assertThat(status.get("good").asLong()).isEqualTo(window.good());
        assertThat(status.get("total").asLong()).isEqualTo(window.total());
        assertThat(status.get("sli").asDouble()).isCloseTo(window.sli(), within(1e-9));
        JsonNode budget = status.get("errorBudget");
        assertThat(budget.get("total").asDouble()).isCloseTo(0.001 * window.total(), within(1e-9));
        assertThat(budget.get("consumed").asLong()).isEqualTo(window.bad());
        assertThat(budget.get("remaining").asDouble()).isCloseTo(window.remaining(0.999), within(1e-9));
        assertBurnRates(status.get("burnRates"), "avail", NOW, 0.999);
        double burn1h = minutes.sum("avail", minus(NOW, "PT1H"), NOW).burnRate(0.999);
        Instant exhaustion = NOW.plusMillis(Math.round(window.remaining(0.999) * Duration.ofDays(30).toMillis() / burn1h));
        assertThat(Duration.between(exhaustion, Instant.parse(status.get("exhaustion").asText())).abs())
                .isLessThanOrEqualTo(Duration.ofMillis(1));
        assertThat(status.has("periodStart")).isFalse();
        assertThat(status.has("groups")).isFalse();
        assertThat(fieldNames(status)).containsExactly("name", "team", "service", "target", "window",
                "budgetingMethod", "asOf", "sli", "good", "total", "errorBudget", "burnRates", "exhaustion",
                "provisional");
    }

    @Test
    void batchStatusesEqualThePerSloAnswersPageByPage() {
        JsonNode first = ok("/api/v1/slo-statuses?limit=3");
        assertThat(first.get("statuses")).hasSize(3);
        JsonNode second = ok("/api/v1/slo-statuses?limit=100&cursor=" + first.get("nextCursor").asText());
        assertThat(second.get("nextCursor").isNull()).isTrue();
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode page : List.of(first, second)) {
            for (JsonNode status : page.get("statuses")) {
                names.add(status.get("name").asText());
                // grouped, calendar, timeslices and rolling SLOs alike: the same object, field for field
                assertThat(status).as(status.get("name").asText())
                        .isEqualTo(ok(SLOS + "/" + status.get("name").asText() + "/status"));
            }
        }
        assertThat(names).containsExactly("avail", "capped", "hist", "late-month", "monthly", "routes", "slices", "workbook-fast",
                "workbook-slow");
        JsonNode search = ok("/api/v1/slo-statuses?team=discovery&service=search&groups=1");
        assertThat(search.get("statuses")).singleElement()
                .satisfies(s -> assertThat(s.get("name").asText()).isEqualTo("routes"))
                .satisfies(s -> assertThat(s.get("groups")).hasSize(1));
        assertThat(client.get("/api/v1/slo-statuses?limit=501").statusCode()).isEqualTo(400);
        assertThat(client.get("/api/v1/slo-statuses?limit=x").statusCode()).isEqualTo(400);
        assertThat(client.get("/api/v1/slo-statuses?cursor=%25%25").statusCode()).isEqualTo(400);
    }

    @Test
    void oneHourAtBurnRate14point4ConsumesTwoPercentOfTheBudget() {
        JsonNode status = ok(SLOS + "/workbook-fast/status");

        assertThat(status.get("total").asLong()).isEqualTo(432_000_000L);
        assertThat(status.get("errorBudget").get("total").asDouble()).isCloseTo(432_000, within(1e-6));
        assertThat(status.get("errorBudget").get("consumed").asLong()).isEqualTo(60 * 144);
        assertThat(1 - status.get("errorBudget").get("remaining").asDouble()).isCloseTo(0.02, within(1e-9));
        assertThat(status.get("burnRates").get("5m").asDouble()).isCloseTo(14.4, within(1e-9));
        assertThat(status.get("burnRates").get("1h").asDouble()).isCloseTo(14.4, within(1e-9));
        assertThat(status.get("burnRates").get("6h").asDouble()).isCloseTo(2.4, within(1e-9));
    }

    @Test
    void sixHoursAtBurnRate6ConsumeFivePercentOfTheBudget() {
        JsonNode status = ok(SLOS + "/workbook-slow/status");

        assertThat(status.get("errorBudget").get("consumed").asLong()).isEqualTo(360 * 60);
        assertThat(1 - status.get("errorBudget").get("remaining").asDouble()).isCloseTo(0.05, within(1e-9));
        assertThat(status.get("burnRates").get("1h").asDouble()).isCloseTo(6, within(1e-9));
        assertThat(status.get("burnRates").get("6h").asDouble()).isCloseTo(6, within(1e-9));
        assertThat(status.get("burnRates").get("1d").asDouble()).isCloseTo(1.5, within(1e-9));
        // 95 % of the budget left, spent at 6 times the sustainable pace: 0.95 x 30 days / 6 = 4.75 days
        assertThat(status.get("exhaustion").asText()).isEqualTo(NOW.plus(Duration.ofMinutes(6840)).toString());
    }

    private void calendar() {
        minutes.add("monthly", Instant.parse("2026-01-15T10:00:00Z"), 300, 400)    // January in Berlin
                .add("monthly", Instant.parse("2026-01-31T22:59:00Z"), 0, 1000)     // January in Berlin
                .add("monthly", Instant.parse("2026-01-31T23:00:00Z"), 10, 20)     // 1 February 00:00 in Berlin
                .add("monthly", Instant.parse("2026-02-28T22:59:00Z"), 50, 100)    // 28 February 23:59 in Berlin
                .add("monthly", Instant.parse("2026-02-28T23:00:00Z"), 990, 1000)  // 1 March 00:00 in Berlin
                .add("monthly", Instant.parse("2026-03-10T08:00:00Z"), 4990, 5000)
                .add("monthly", Instant.parse("2026-03-15T11:59:00Z"), 95, 100);
    }

    @Test
    void aCalendarMonthInBerlinStartsAtLocalMidnightOfTheFirst() {
        JsonNode status = ok(SLOS + "/monthly/status");

        assertThat(status.get("window").asText()).isEqualTo("1M");
        assertThat(status.get("periodStart").asText()).isEqualTo("2026-02-28T23:00:00Z");
        assertThat(status.get("periodEnd").asText()).isEqualTo("2026-03-31T22:00:00Z");
        SloMinutes.Sums march = minutes.sum("monthly", Instant.parse("2026-02-28T23:00:00Z"), NOW);
        assertThat(march).isEqualTo(new SloMinutes.Sums(6075, 6100));
        assertThat(status.get("good").asLong()).isEqualTo(6075);
        assertThat(status.get("total").asLong()).isEqualTo(6100);
        assertThat(status.get("errorBudget").get("total").asDouble()).isCloseTo(61, within(1e-9));
        assertThat(status.get("errorBudget").get("consumed").asLong()).isEqualTo(25);
        assertThat(status.get("errorBudget").get("remaining").asDouble()).isCloseTo(1 - 25 / 61.0, within(1e-9));
        assertThat(status.get("burnRates").get("1h").asDouble()).isCloseTo(5, within(1e-9));
        // the budget is sized for the whole month: 31 days less the hour summer time takes
        long period = Duration.ofDays(31).minusHours(1).toMillis();
        assertThat(status.get("exhaustion").asText())
                .isEqualTo(NOW.plusMillis(Math.round((1 - 25 / 61.0) * period / 5)).toString());
    }

    @Test
    void reportsThePreviousCalendarPeriodAsItEnded() {
        JsonNode status = ok(SLOS + "/monthly/status?period=previous");

        assertThat(status.get("periodStart").asText()).isEqualTo("2026-01-31T23:00:00Z");
        assertThat(status.get("periodEnd").asText()).isEqualTo("2026-02-28T23:00:00Z");
        assertThat(status.get("asOf").asText()).isEqualTo("2026-02-28T23:00:00Z");
        assertThat(status.get("good").asLong()).isEqualTo(60);
        assertThat(status.get("total").asLong()).isEqualTo(120);
        assertThat(status.get("errorBudget").get("remaining").asDouble()).isCloseTo(1 - 60 / 1.2, within(1e-9));
        assertThat(status.get("burnRates").get("5m").asDouble()).isCloseTo(50, within(1e-9));
        assertThat(status.get("exhaustion").isNull()).isTrue();

        JsonNode problem = QueryApiProblemsTest.problem(client.get(SLOS + "/avail/status?period=previous"), 400);
        assertThat(problem.get("parameter").asText()).isEqualTo("period");
        assertThat(problem.get("detail").asText())
                .isEqualTo("period=previous needs a calendar window; SLO 'avail' rolls over 30d");
    }

    @Test
    void reportsEachEarlierCalendarPeriodAsItEnded() {
        assertThat(ok(SLOS + "/monthly/status?period=previous:1")).isEqualTo(ok(SLOS + "/monthly/status?period=previous"));

        JsonNode january = ok(SLOS + "/monthly/status?period=previous:2");
        assertThat(january.get("periodStart").asText()).isEqualTo("2025-12-31T23:00:00Z");
        assertThat(january.get("periodEnd").asText()).isEqualTo("2026-01-31T23:00:00Z");
        assertThat(january.get("asOf").asText()).isEqualTo("2026-01-31T23:00:00Z");
        assertThat(minutes.sum("monthly", Instant.parse("2025-12-31T23:00:00Z"), Instant.parse("2026-01-31T23:00:00Z")))
                .isEqualTo(new SloMinutes.Sums(300, 1400));
        assertThat(january.get("good").asLong()).isEqualTo(300);
        assertThat(january.get("total").asLong()).isEqualTo(1400);
        assertThat(january.get("errorBudget").get("total").asDouble()).isCloseTo(14, within(1e-9));
        assertThat(january.get("errorBudget").get("consumed").asLong()).isEqualTo(1100);
        assertThat(january.get("errorBudget").get("remaining").asDouble()).isCloseTo(1 - 1100 / 14.0, within(1e-9));
        assertThat(january.get("burnRates").get("5m").asDouble()).isCloseTo(100, within(1e-9));
        assertThat(january.get("burnRates").get("3d").asDouble()).isCloseTo(100, within(1e-9));
        assertThat(january.get("exhaustion").isNull()).isTrue();

        // December 2025, before the calendar's startTime: a period like any other, without events
        JsonNode december = ok(SLOS + "/monthly/status?period=previous:3");
        assertThat(december.get("periodStart").asText()).isEqualTo("2025-11-30T23:00:00Z");
        assertThat(december.get("periodEnd").asText()).isEqualTo("2025-12-31T23:00:00Z");
        assertThat(december.get("total").asLong()).isZero();
        assertThat(december.get("errorBudget").get("remaining").asDouble()).isEqualTo(1.0);

        for (String bad : List.of("previous:0", "previous:101", "previous:-1", "previous:two", "previous:")) {
            JsonNode problem = QueryApiProblemsTest.problem(client.get(SLOS + "/monthly/status?period=" + bad), 400);
            assertThat(problem.get("parameter").asText()).isEqualTo("period");
            assertThat(problem.get("detail").asText()).isEqualTo("period must be current, previous or previous:N"
                    + " with N within [1, 100], was '" + bad + "'");
        }
        assertThat(QueryApiProblemsTest.problem(client.get(SLOS + "/avail/status?period=previous:2"), 400)
                .get("detail").asText()).isEqualTo("period=previous needs a calendar window; SLO 'avail' rolls over 30d");
    }

    private void groups() {
        minutes.add("routes", "/search", minus(NOW, "PT10M"), 980, 1000, 1)
                .add("routes", "/search", minus(NOW, "P2D"), 1000, 1000, 1)
                .add("routes", "/suggest", minus(NOW, "PT10M"), 499, 500, 1)
                .add("routes", "/static", minus(NOW, "PT2H"), 300, 300, 1)
                .add("routes", "/gone", minus(NOW, "P8D"), 0, 100, 1);
        // at most 2 groups: the stream counted the values beyond them in __other__
        minutes.add("capped", "/a", minus(NOW, "PT10M"), 100, 100, 1)
                .add("capped", "/b", minus(NOW, "PT10M"), 50, 50, 1)
                .add("capped", "__other__", minus(NOW, "PT5M"), 30, 40, 1)
                .add("capped", "__other__", minus(NOW, "P2D"), 7, 7, 1)
                .add("capped", "__other__", minus(NOW, "P8D"), 9, 9, 1);  // before the 7-day window
    }

    @Test
    void aGroupedSloOverItsCapSaysSoAndHowManyEventsWentOver() {
        JsonNode status = ok(SLOS + "/capped/status");

        assertThat(minutes.sum("capped", "__other__", minus(NOW, "P7D"), NOW)).isEqualTo(new SloMinutes.Sums(37, 47));
        assertThat(status.get("total").asLong()).isEqualTo(100 + 50 + 47);
        assertThat(status.get("groupCap").toString()).isEqualTo("{\"attribute\":\"http.route\",\"maxGroups\":2,"
                + "\"capped\":true,\"eventsOverCap\":47,\"message\":\"more than 2 values of http.route were seen: 47"
                + " events of the values beyond the cap counted in the group __other__, which has no budget of its own;"
                + " raise spec.nines.maxGroups (at most 10000) or group by an attribute with fewer values\"}");
        assertThat(status.get("groups").findValuesAsText("group")).containsExactly("__other__", "/a", "/b");

        assertThat(ok(SLOS + "/routes/status").get("groupCap").toString()).isEqualTo("{\"attribute\":\"http.route\","
                + "\"maxGroups\":50,\"capped\":false,\"eventsOverCap\":0}");
        assertThat(ok(SLOS + "/avail/status").has("groupCap")).isFalse();
    }

    @Test
    void aGroupedSloReportsEachGroupsBudgetLeastRemainingFirst() {
        JsonNode status = ok(SLOS + "/routes/status");

        assertThat(status.get("good").asLong()).isEqualTo(980 + 1000 + 499 + 300);
        assertThat(status.get("total").asLong()).isEqualTo(2800);
        JsonNode groups = status.get("groups");
        assertThat(groups.findValuesAsText("group")).containsExactly("/search", "/suggest", "/static");
        for (JsonNode group : groups) {
            String name = group.get("group").asText();
            SloMinutes.Sums sums = minutes.sum("routes", name, minus(NOW, "P7D"), NOW);
            assertThat(group.get("good").asLong()).isEqualTo(sums.good());
            assertThat(group.get("total").asLong()).isEqualTo(sums.total());
            assertThat(group.get("sli").asDouble()).isCloseTo(sums.sli(), within(1e-9));
            assertThat(group.get("errorBudget").get("total").asDouble()).isCloseTo(0.01 * sums.total(), within(1e-9));
            assertThat(group.get("errorBudget").get("consumed").asLong()).isEqualTo(sums.bad());
            assertThat(group.get("errorBudget").get("remaining").asDouble())
                    .isCloseTo(sums.remaining(0.99), within(1e-9));
            for (Map.Entry<String, Duration> lookback : LOOKBACKS.entrySet()) {
                assertThat(group.get("burnRates").get(lookback.getKey()).asDouble()).as(name + " " + lookback.getKey())
                        .isCloseTo(minutes.sum("routes", name, NOW.minus(lookback.getValue()), NOW).burnRate(0.99),
                                within(1e-9));
            }
        }
        assertThat(groups.get(0).get("errorBudget").get("remaining").asDouble()).isCloseTo(0, within(1e-9));
        assertThat(groups.get(1).get("burnRates").get("30m").asDouble()).isCloseTo(0.2, within(1e-9));

        assertThat(ok(SLOS + "/routes/status?groups=2").get("groups").findValuesAsText("group"))
                .containsExactly("/search", "/suggest");
    }

    private void slices() {
        minutes.add("slices", Instant.parse("2026-03-15T11:50:00Z"), 90, 100)   // with 11:52: 190/200 = 0.95, good
                .add("slices", Instant.parse("2026-03-15T11:52:00Z"), 100, 100)
                .add("slices", Instant.parse("2026-03-15T11:01:00Z"), 89, 100)  // 0.89: bad
                .add("slices", Instant.parse("2026-03-15T10:00:00Z"), 94, 100)  // with 10:04: 95/101: bad
                .add("slices", Instant.parse("2026-03-15T10:04:00Z"), 1, 1)
                .add("slices", Instant.parse("2026-03-15T08:00:00Z"), 10, 10)   // good
                .add("slices", Instant.parse("2026-03-14T12:00:00Z"), 0, 10)    // first slice of the window: bad
                .add("slices", Instant.parse("2026-03-14T11:55:00Z"), 0, 10);   // the slice before the window
    }

    @Test
    void timeslicesSpendBudgetPerBadSlice() {
        JsonNode status = ok(SLOS + "/slices/status");

        assertThat(status.get("budgetingMethod").asText()).isEqualTo("Timeslices");
        assertThat(status.get("good").asLong()).isEqualTo(90 + 100 + 89 + 94 + 1 + 10 + 0);
        assertThat(status.get("total").asLong()).isEqualTo(100 + 100 + 100 + 100 + 1 + 10 + 10);
        // a day holds 288 five-minute slices, 1 % of which may be bad
        assertThat(status.get("errorBudget").get("total").asDouble()).isCloseTo(2.88, within(1e-9));
        assertThat(status.get("errorBudget").get("consumed").asLong()).isEqualTo(3);
        assertThat(status.get("errorBudget").get("remaining").asDouble()).isCloseTo(1 - 3 / 2.88, within(1e-9));
        assertThat(status.get("exhaustion").asText()).isEqualTo(NOW.toString());
    }

    @Test
    void provisionalUntilTheStreamSaysTheMinutesAreFinalNotJustPastItsWatermark() throws Exception {
        Instant februaryEnd = Instant.parse("2026-02-28T23:00:00Z");
        new SloMinutes().add("late-month", "", februaryEnd.minusSeconds(60), 90, 100, 100)
                .insert(clickHouse.jdbcUrl(database));
        assertThat(ok(SLOS + "/avail/status").get("provisional").asBoolean()).isTrue();

        // a row from a job that did not say how far its minutes are final: nothing is known to be final
        clickHouse.execute("INSERT INTO " + database + ".stream_progress (job, watermark, updated_at) VALUES"
                + " ('nines-streaming', " + millis(NOW) + ", " + millis(minus(NOW, "PT60S")) + ")");
        assertThat(ok(SLOS + "/avail/status").get("provisional").asBoolean()).isTrue();
        assertThat(ok(SLOS + "/late-month/status?period=previous").get("provisional").asBoolean()).isTrue();

        // The watermark has passed February's end, but with 10 minutes of allowed lateness its last minutes may
        // still change: and one does, when five late failed events re-emit 22:59 (version = total, as the job writes).
        progress("nines-streaming", februaryEnd.plusSeconds(300), februaryEnd.minusSeconds(300), minus(NOW, "PT50S"));
        JsonNode before = ok(SLOS + "/late-month/status?period=previous");
        assertThat(before.get("provisional").asBoolean()).isTrue();
        assertThat(before.get("total").asLong()).isEqualTo(100);
        new SloMinutes().add("late-month", "", februaryEnd.minusSeconds(60), 90, 105, 105)
                .insert(clickHouse.jdbcUrl(database));
        JsonNode late = ok(SLOS + "/late-month/status?period=previous");
        assertThat(late.get("provisional").asBoolean()).isTrue();
        assertThat(late.get("good").asLong()).isEqualTo(90);
        assertThat(late.get("total").asLong()).isEqualTo(105);

        progress("nines-streaming", februaryEnd.plusSeconds(600), februaryEnd, minus(NOW, "PT40S"));
        JsonNode closed = ok(SLOS + "/late-month/status?period=previous");
        assertThat(closed.get("provisional").asBoolean()).isFalse();
        assertThat(closed.get("total").asLong()).isEqualTo(105);

        progress("nines-streaming", NOW, minus(NOW, "PT10M"), minus(NOW, "PT5S"));
        assertThat(ok(SLOS + "/avail/status").get("provisional").asBoolean()).isTrue();

        progress("nines-streaming", NOW.plus(Duration.ofMinutes(10)), NOW, minus(NOW, "PT1S"));
        progress("another-job", minus(NOW, "PT1H"), minus(NOW, "PT1H"), NOW);
        assertThat(ok(SLOS + "/avail/status").get("provisional").asBoolean()).isFalse();
        assertThat(ok(SLOS + "/monthly/status?period=previous").get("provisional").asBoolean()).isFalse();
    }

    private void history() {
        for (int i = 0; i < 120; i++) {
            long total = 50 + (i * 37L % 50);
            long bad = i % 5 == 0 ? i % 3 : 0;
            minutes.add("hist", minus(NOW, "PT120M").plus(Duration.ofMinutes(i)), total - bad, total);
        }
    }

    @Test
    void historyGivesEachStepsFiguresAndTheBudgetLeftAtItsEnd() {
        JsonNode history = ok(SLOS + "/hist/history?from=2026-03-15T11:00:00Z&to=2026-03-15T12:00:00Z&step=10m");

        assertThat(history.get("step").asLong()).isEqualTo(600_000);
        JsonNode points = history.get("points");
        assertThat(points).hasSize(6);
        for (int k = 0; k < 6; k++) {
            Instant t = Instant.parse("2026-03-15T11:10:00Z").plus(Duration.ofMinutes(10L * k));
            JsonNode point = points.get(k);
            SloMinutes.Sums step = minutes.sum("hist", t.minus(Duration.ofMinutes(10)), t);
            SloMinutes.Sums window = minutes.sum("hist", t.minus(Duration.ofHours(1)), t);
            assertThat(point.get("t").asText()).isEqualTo(t.toString());
            assertThat(point.get("good").asLong()).isEqualTo(step.good());
            assertThat(point.get("total").asLong()).isEqualTo(step.total());
            assertThat(point.get("sli").asDouble()).isCloseTo(step.sli(), within(1e-9));
            assertThat(point.get("burnRate").asDouble()).isCloseTo(step.burnRate(0.99), within(1e-9));
            assertThat(point.get("budgetRemaining").asDouble()).as("budget at " + t)
                    .isCloseTo(window.remaining(0.99), within(1e-9));
        }
        assertThat(points.get(5).get("budgetRemaining").asDouble())
                .isCloseTo(ok(SLOS + "/hist/status").get("errorBudget").get("remaining").asDouble(), within(1e-12));
    }

    @Test
    void historyDefaultsToTheLastWindowInNiceSteps() {
        JsonNode history = ok(SLOS + "/hist/history");

        assertThat(history.get("from").asText()).isEqualTo("2026-03-15T11:00:00Z");
        assertThat(history.get("to").asText()).isEqualTo("2026-03-15T12:00:00Z");
        assertThat(history.get("step").asLong()).isEqualTo(60_000);
        assertThat(history.get("points")).hasSize(60);
        assertThat(history.get("points").get(59).get("t").asText()).isEqualTo("2026-03-15T12:00:00Z");
    }

    @Test
    void calendarHistoryResetsTheBudgetAtThePeriodStart() {
        JsonNode points = ok(SLOS + "/monthly/history?from=2026-02-28T22:00:00Z&to=2026-03-01T00:00:00Z&step=1h")
                .get("points");

        assertThat(points.findValuesAsText("t")).containsExactly("2026-02-28T23:00:00Z", "2026-03-01T00:00:00Z");
        // February: 60 good of 120 over the period so far; March: 990 of 1000 in its first hour
        assertThat(points.get(0).get("budgetRemaining").asDouble()).isCloseTo(1 - 60 / 1.2, within(1e-9));
        assertThat(points.get(1).get("budgetRemaining").asDouble()).isCloseTo(1 - 10 / 10.0, within(1e-9));
        assertThat(points.get(0).get("total").asLong()).isEqualTo(100);
        assertThat(points.get(1).get("total").asLong()).isEqualTo(1000);
    }

    @Test
    void timesliceHistoryAgreesWithTheStatus() {
        JsonNode points = ok(SLOS + "/slices/history?from=2026-03-15T11:00:00Z&to=2026-03-15T12:00:00Z&step=1h")
                .get("points");

        assertThat(points).hasSize(1);
        assertThat(points.get(0).get("good").asLong()).isEqualTo(279);
        assertThat(points.get(0).get("budgetRemaining").asDouble()).isCloseTo(1 - 3 / 2.88, within(1e-9));
    }

    @Test
    void historyRefusesStepsItCannotServe() {
        JsonNode partMinute = QueryApiProblemsTest.problem(client.get(SLOS + "/hist/history?step=90s"), 400);
        assertThat(partMinute.get("parameter").asText()).isEqualTo("step");
        assertThat(partMinute.get("detail").asText())
                .isEqualTo("step must be a positive multiple of 60000 ms (whole minutes), was 90000 ms");

        JsonNode tooMany = QueryApiProblemsTest.problem(client.get(SLOS + "/avail/history?step=1m"), 400);
        assertThat(tooMany.get("detail").asText()).isEqualTo("step 60000 ms gives 43200 points over the range, more"
                + " than the limit of 1500; use a larger step");

        JsonNode backwards = QueryApiProblemsTest.problem(client.get(SLOS
                + "/hist/history?from=2026-03-15T12:00:00Z&to=2026-03-15T11:00:00Z"), 400);
        assertThat(backwards.get("parameter").asText()).isEqualTo("from");
        assertThat(QueryApiProblemsTest.problem(client.get(SLOS + "/nope/history"), 404).get("type").asText())
                .isEqualTo("urn:nines:problem:unknown-slo");
    }

    @Test
    void answersGarbageAndHostileInputWithPreciseProblems() {
        JsonNode hostile = QueryApiProblemsTest.problem(client.get(SLOS + "/x'%3B%20DROP%20TABLE%20slo_minute%3B--/status"),
                404);
        assertThat(hostile.get("detail").asText()).isEqualTo("no SLO named 'x'; DROP TABLE slo_minute;--' exists");
        assertThat(QueryApiProblemsTest.problem(client.get(SLOS + "/avail/status?period=banana"), 400)
                .get("detail").asText()).isEqualTo("period must be current, previous or previous:N with N within [1, 100],"
                + " was 'banana'");
        assertThat(QueryApiProblemsTest.problem(client.get(SLOS + "/routes/status?groups=many"), 400)
                .get("detail").asText()).isEqualTo("groups must be an integer, was 'many'");
        assertThat(QueryApiProblemsTest.problem(client.get(SLOS + "/routes/status?groups=0"), 400)
                .get("detail").asText()).isEqualTo("groups must be within [1, 10000], was 0");
        assertThat(QueryApiProblemsTest.problem(client.get(SLOS + "/hist/history?from=yesterday"), 400)
                .get("parameter").asText()).isEqualTo("from");
        assertThat(QueryApiProblemsTest.problem(client.get(SLOS + "?limit=lots"), 400).get("detail").asText())
                .isEqualTo("limit must be an integer within [1, 1000], was 'lots'");
        // the hostile name did nothing to the table
        assertThat(ok(SLOS + "/avail/status").get("total").asLong()).isEqualTo(minutes.sum("avail",
                minus(NOW, "P30D"), NOW).total());
    }

    private void assertBurnRates(JsonNode burnRates, String slo, Instant at, double target) {
        assertThat(fieldNames(burnRates)).containsExactly("5m", "30m", "1h", "2h", "6h", "1d", "3d");
        for (Map.Entry<String, Duration> lookback : LOOKBACKS.entrySet()) {
            double expected = minutes.sum(slo, at.minus(lookback.getValue()), at).burnRate(target);
            assertThat(burnRates.get(lookback.getKey()).asDouble()).as(lookback.getKey())
                    .isCloseTo(expected, within(1e-9));
        }
        assertThat(burnRates.get("5m").asDouble()).isCloseTo((10 / 1500.0) / 0.001, within(1e-9));
    }

    private void progress(String job, Instant watermark, Instant finalUntil, Instant updatedAt) {
        clickHouse.execute("INSERT INTO " + database + ".stream_progress (job, watermark, final_until, updated_at)"
                + " VALUES ('" + job + "', " + millis(watermark) + ", " + millis(finalUntil) + ", " + millis(updatedAt)
                + ")");
    }

    private static String millis(Instant instant) {
        return "fromUnixTimestamp64Milli(" + instant.toEpochMilli() + ", 'UTC')";
    }

    private JsonNode ok(String path) {
        var response = client.get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ApiClient.json(response);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Map<String, Duration> lookbacks() {
        Map<String, Duration> lookbacks = new LinkedHashMap<>();
        lookbacks.put("5m", Duration.ofMinutes(5));
        lookbacks.put("30m", Duration.ofMinutes(30));
        lookbacks.put("1h", Duration.ofHours(1));
        lookbacks.put("2h", Duration.ofHours(2));
        lookbacks.put("6h", Duration.ofHours(6));
        lookbacks.put("1d", Duration.ofDays(1));
        lookbacks.put("3d", Duration.ofDays(3));
        return lookbacks;
    }
}
