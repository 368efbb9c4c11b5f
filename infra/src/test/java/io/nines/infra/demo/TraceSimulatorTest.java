package io.nines.infra.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.opentelemetry.api.trace.SpanKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TraceSimulatorTest {

    private static final int TRACES = 200_000;
    private final Topology shop = Topology.shop();

    @Test
    void checkoutHasAbout120MillisMedian600MillisP99AndPoint3PercentErrors() {
        TraceSimulator simulator = new TraceSimulator(new SplittableRandom(42));
        double[] millis = new double[TRACES];
        int errors = 0;
        for (int i = 0; i < TRACES; i++) {
            SimulatedSpan root = simulator.simulate(endpoint("checkout"), Optional.empty()).get(0);
            millis[i] = root.durationNanos() / 1e6;
            errors += root.error() ? 1 : 0;
        }

        assertThat(LatencyModelTest.quantile(millis, 0.5)).isCloseTo(120, within(120 * 0.05));
        assertThat(LatencyModelTest.quantile(millis, 0.99)).isCloseTo(600, within(600 * 0.1));
        assertThat(errors / (double) TRACES).isCloseTo(0.003, within(0.0005));
    }

    @Test
    void checkoutCallsCatalogThenPaymentsWithClientSpansAroundTheirServerSpans() {
        TraceSimulator simulator = new TraceSimulator(new SplittableRandom(1));

        List<SimulatedSpan> trace = simulator.simulate(endpoint("checkout"), Optional.empty());

        assertThat(trace).extracting(SimulatedSpan::service, SimulatedSpan::kind, SimulatedSpan::name,
                        SimulatedSpan::parent)
                .containsExactly(
                        tuple("checkout", SpanKind.SERVER, "POST /checkout", -1),
                        tuple("checkout", SpanKind.CLIENT, "GET /products/{id}", 0),
                        tuple("catalog", SpanKind.SERVER, "GET /products/{id}", 1),
                        tuple("checkout", SpanKind.CLIENT, "POST /charge", 0),
                        tuple("payments", SpanKind.SERVER, "POST /charge", 3));
        for (SimulatedSpan span : trace.subList(1, trace.size())) {
            SimulatedSpan parent = trace.get(span.parent());
            assertThat(span.startNanos()).isGreaterThanOrEqualTo(parent.startNanos());
            assertThat(span.endNanos()).isLessThanOrEqualTo(parent.endNanos());
        }
        assertThat(trace.get(3).startNanos()).isGreaterThanOrEqualTo(trace.get(1).endNanos());
    }

    @Test
    void anIncidentInPaymentsFailsCheckoutWithBadGateway() {
        Incident incident = new Incident("payments", Duration.ofMinutes(10), Duration.ofMinutes(1), 1.0, 3);
        TraceSimulator simulator = new TraceSimulator(new SplittableRandom(3));

        List<SimulatedSpan> trace = simulator.simulate(endpoint("checkout"), Optional.of(incident));

        assertThat(trace.get(4).statusCode()).isEqualTo(500);
        assertThat(trace.get(3).statusCode()).isEqualTo(500);
        assertThat(trace.get(0).error()).isTrue();
        assertThat(trace.get(0).statusCode()).isIn(500, 502);
    }

    @Test
    void incidentsRunAtTheEndOfEachPeriod() {
        Incident incident = new Incident("payments", Duration.ofMinutes(10), Duration.ofMinutes(2), 0.25, 3);

        assertThat(incident.activeAt(Duration.ofMinutes(7).plusSeconds(59))).isFalse();
        assertThat(incident.activeAt(Duration.ofMinutes(8))).isTrue();
        assertThat(incident.activeAt(Duration.ofMinutes(9).plusSeconds(59))).isTrue();
        assertThat(incident.activeAt(Duration.ofMinutes(10))).isFalse();
        assertThat(incident.activeAt(Duration.ofMinutes(18))).isTrue();
    }

    private Endpoint endpoint(String service) {
        return shop.entries().stream().map(Topology.Entry::endpoint)
                .filter(endpoint -> endpoint.service().equals(service)).findFirst().orElseThrow();
    }
}
