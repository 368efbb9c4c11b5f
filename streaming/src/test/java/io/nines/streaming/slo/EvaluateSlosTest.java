package io.nines.streaming.slo;

import static io.nines.streaming.testing.SloDocuments.availability;
import static io.nines.streaming.testing.SloDocuments.latency;
import static org.assertj.core.api.Assertions.assertThat;

import io.nines.streaming.otlp.SpanEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The broadcast evaluation on Flink's keyed broadcast test harness: definitions in, SLO events out. */
class EvaluateSlosTest {

    private static final long END = Instant.parse("2026-11-29T10:15:42Z").toEpochMilli();

    private KeyedBroadcastOperatorTestHarness<String, SpanEvent, SloChange, SloEvent> harness;
    private long version;

    @BeforeEach
    void openHarness() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void countsSpansFromTheMomentItSeesADefinitionUntilItsDeletion() throws Exception {
        span("checkout", "GET /", 10, false);
        define("checkout-ok", availability("checkout-ok", "checkout", "", ""));
        span("checkout", "GET /", 10, false);
        span("checkout", "GET /", 10, true);
        span("cart", "GET /", 10, false);
        delete("checkout-ok");
        span("checkout", "GET /", 10, false);

        assertThat(harness.extractOutputValues()).containsExactly(
                new SloEvent("checkout-ok", "", true, END, 10),
                new SloEvent("checkout-ok", "", false, END, 10));
        assertThat(harness.getBroadcastState(EvaluateSlos.DEFINITIONS).immutableEntries()).isEmpty();
    }

    @Test
    void appliesAnUpdatedDefinitionToTheNextSpan() throws Exception {
        define("fast", latency("fast", "checkout", "", "lte", "100", false, ""));
        span("checkout", "GET /", 150, false);
        define("fast", latency("fast", "checkout", "", "lte", "200", false, ""));
        span("checkout", "GET /", 150, false);

        assertThat(harness.extractOutputValues()).extracting(SloEvent::good).containsExactly(false, true);
        assertThat(harness.getBroadcastState(EvaluateSlos.DEFINITIONS).get("fast").version()).isEqualTo(2);
    }

    @Test
    void selectsTheOperationBySpanNameOrByHttpRoute() throws Exception {
        define("pay", availability("pay", "checkout", "operation: \"POST /pay\"", ""));
        define("route", availability("route", "checkout", "operation: \"/orders/{id}\"", ""));
        harness.processElement(event("checkout", "POST /pay", 10_000_000, false, Map.of()), END);
        harness.processElement(event("checkout", "GET", 10_000_000, false, Map.of("http.route", "/orders/{id}")),
                END);
        harness.processElement(event("checkout", "POST /other", 10_000_000, false, Map.of("http.route", "/x")), END);

        assertThat(harness.extractOutputValues()).extracting(SloEvent::slo).containsExactly("pay", "route");
    }

    @Test
    void selectsOnlySpansWhoseAttributesMatchExactly() throws Exception {
        define("eu", availability("eu", "checkout", "attributes: {region: eu-west, tier: \"1\"}", ""));
        harness.processElement(event("checkout", "GET /", 1, false, Map.of("region", "eu-west", "tier", "1")), END);
        harness.processElement(event("checkout", "GET /", 1, false, Map.of("region", "eu-west")), END);
        harness.processElement(event("checkout", "GET /", 1, false, Map.of("region", "EU-WEST", "tier", "1")), END);

        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void comparesTheLatencyThresholdToTheNanosecond() throws Exception {
        define("lte", latency("lte", "checkout", "", "lte", "287", false, ""));
        define("lt", latency("lt", "checkout", "", "lt", "287", false, ""));
        for (long nanos : new long[] {286_999_999, 287_000_000, 287_000_001}) {
            harness.processElement(event("checkout", "GET /", nanos, false, Map.of()), END);
        }

        assertThat(harness.extractOutputValues())
                .extracting(event -> event.slo() + "=" + event.good())
                .containsExactlyInAnyOrder("lte=true", "lt=true", "lte=true", "lt=false", "lte=false", "lt=false");
        assertThat(goodOf("lte")).containsExactly(true, true, false);
        assertThat(goodOf("lt")).containsExactly(true, false, false);
    }

    @Test
    void latencyWithOutcomeSuccessCountsAFastFailureAsBad() throws Exception {
        define("fast-ok", latency("fast-ok", "checkout", "", "lte", "287", true, ""));
        define("fast", latency("fast", "checkout", "", "lte", "287", false, ""));
        span("checkout", "GET /", 100, true);
        span("checkout", "GET /", 100, false);

        assertThat(goodOf("fast-ok")).containsExactly(false, true);
        assertThat(goodOf("fast")).containsExactly(true, true);
    }

    @Test
    void foldsValuesBeyondMaxGroupsIntoOtherAndSpansWithoutTheAttributeIntoNone() throws Exception {
        define("routes", availability("routes", "search", "", "{groupBy: http.route, maxGroups: 2}"));
        for (String route : new String[] {"/a", "/b", "/c", "/a", "/d", "", "/b"}) {
            harness.processElement(event("search", "GET", 1, false,
                    route.isEmpty() ? Map.of() : Map.of("http.route", route)), END);
        }

        assertThat(harness.extractOutputValues()).extracting(SloEvent::group)
                .containsExactly("/a", "/b", EvaluateSlos.OTHER, "/a", EvaluateSlos.OTHER, EvaluateSlos.NONE, "/b");
    }

    @Test
    void deletingAnSloClearsItsStateSoARecreatedOneChoosesItsGroupsAfresh() throws Exception {
        String routes = availability("routes", "search", "", "{groupBy: http.route, maxGroups: 1}");
        define("routes", routes);
        route("/a");
        route("/b");
        assertThat(keyedStateEntries()).isPositive();

        delete("routes");
        assertThat(keyedStateEntries()).isZero();
        assertThat(harness.getBroadcastState(EvaluateSlos.DEFINITIONS).immutableEntries()).isEmpty();

        define("routes", routes);
        route("/b");
        route("/a");
        assertThat(harness.extractOutputValues()).extracting(SloEvent::group)
                .containsExactly("/a", EvaluateSlos.OTHER, "/b", EvaluateSlos.OTHER);
    }

    @Test
    void changingTheGroupByForgetsTheGroupsChosenSoFar() throws Exception {
        define("routes", availability("routes", "search", "", "{groupBy: http.route, maxGroups: 1}"));
        route("/a");
        define("routes", availability("routes", "search", "", "{groupBy: http.route, maxGroups: 2}"));
        route("/b");
        route("/c");

        assertThat(harness.extractOutputValues()).extracting(SloEvent::group).containsExactly("/a", "/b", "/c");
    }

    @Test
    void keepsEvaluatingAfterARestoreFromItsBroadcastAndKeyedState() throws Exception {
        define("routes", availability("routes", "search", "", "{groupBy: http.route, maxGroups: 1}"));
        route("/a");
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        route("/b");
        route("/a");

        assertThat(harness.extractOutputValues()).extracting(SloEvent::group)
                .containsExactly(EvaluateSlos.OTHER, "/a");
    }

    private static KeyedBroadcastOperatorTestHarness<String, SpanEvent, SloChange, SloEvent> newHarness()
            throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new EvaluateSlos(), List.of(EvaluateSlos.DEFINITIONS)),
                new ByService(), Types.STRING, 1, 1, 0);
    }

    /** Entries in the keyed (per service) state: the groups chosen so far. */
    private int keyedStateEntries() {
        return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    private List<Boolean> goodOf(String slo) {
        return harness.extractOutputValues().stream().filter(event -> event.slo().equals(slo))
                .map(SloEvent::good).toList();
    }

    private void define(String name, String document) throws Exception {
        harness.processBroadcastElement(new SloChange(name, ++version, document), END);
    }

    private void delete(String name) throws Exception {
        harness.processBroadcastElement(SloChange.deleted(name), END);
    }

    private void span(String service, String operation, long millis, boolean error) throws Exception {
        harness.processElement(event(service, operation, millis * 1_000_000, error, Map.of()), END);
    }

    private void route(String route) throws Exception {
        harness.processElement(event("search", "GET", 1, false, Map.of("http.route", route)), END);
    }

    private static SpanEvent event(String service, String operation, long nanos, boolean error,
                                   Map<String, String> attributes) {
        return new SpanEvent(service, operation, END, nanos, error, END, attributes);
    }
}
