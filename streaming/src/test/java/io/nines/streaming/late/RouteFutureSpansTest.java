package io.nines.streaming.late;

import static org.assertj.core.api.Assertions.assertThat;

import io.nines.streaming.otlp.SpanEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RouteFutureSpansTest {

    private static final long ARRIVAL = Instant.parse("2026-11-29T10:15:00Z").toEpochMilli();
    private static final Duration SKEW = Duration.ofMinutes(10);

    private final InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();
    private MockEnvironment environment;
    private OneInputStreamOperatorTestHarness<SpanEvent, SpanEvent> harness;

    @BeforeEach
    void openHarness() throws Exception {
        environment = new MockEnvironmentBuilder().setMetricGroup(new InterceptingTaskMetricGroup() {
            @Override
            public InternalOperatorMetricGroup getOrAddOperator(OperatorID id, String name, Map<String, String> info) {
                return metrics;
            }
        }).build();
        harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new RouteFutureSpans(SKEW)),
                environment);
        harness.open();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
        environment.close();
    }

    @Test
    void passesSpansEndingUpToTheAllowedSkewAfterTheirArrivalAndAnyTimeBefore() throws Exception {
        SpanEvent old = span(ARRIVAL - Duration.ofDays(3).toMillis());
        SpanEvent justArrived = span(ARRIVAL);
        SpanEvent atTheLimit = span(ARRIVAL + SKEW.toMillis());

        process(old, justArrived, atTheLimit);

        assertThat(harness.extractOutputValues()).containsExactly(old, justArrived, atTheLimit);
        assertThat(harness.getSideOutput(RouteFutureSpans.FUTURE_SPANS)).isNull();
        assertThat(futureSpans()).isZero();
    }

    @Test
    void routesSpansFromTheFutureAsideCountedAndMarkedFuture() throws Exception {
        SpanEvent onTime = span(ARRIVAL - 1_000);
        SpanEvent justPast = span(ARRIVAL + SKEW.toMillis() + 1);
        SpanEvent nextYear = span(ARRIVAL + Duration.ofDays(365).toMillis() + 42);

        process(justPast, onTime, nextYear);

        assertThat(harness.extractOutputValues()).containsExactly(onTime);
        assertThat(harness.getSideOutput(RouteFutureSpans.FUTURE_SPANS)).extracting(StreamRecord::getValue)
                .containsExactly(
                        LateSpan.of(justPast, LateSpan.Reason.FUTURE),
                        new LateSpan("cart", "GET /cart", nextYear.endEpochMillis(), 12.5, true,
                                nextYear.endEpochMillis() - 42, ARRIVAL, LateSpan.Reason.FUTURE));
        assertThat(futureSpans()).isEqualTo(2);
    }

    private void process(SpanEvent... spans) throws Exception {
        for (SpanEvent span : spans) {
            // As from the Kafka source: the record's timestamp is its arrival, not yet the span's event time.
            harness.processElement(new StreamRecord<>(span, span.arrivalEpochMillis()));
        }
    }

    private long futureSpans() {
        return ((Counter) metrics.get("futureSpans")).getCount();
    }

    private static SpanEvent span(long end) {
        return new SpanEvent("cart", "GET /cart", end, 12.5, true, ARRIVAL);
    }
}
