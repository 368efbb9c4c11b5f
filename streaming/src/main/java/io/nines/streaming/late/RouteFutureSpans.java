package io.nines.streaming.late;

import io.nines.streaming.otlp.SpanEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Routes aside spans that end more than the allowed clock skew after their record reached Kafka.
 *
 * <p>Event time comes from the spans themselves, so one span from a host whose clock runs an hour ahead
 * would move the watermark an hour forward and make every honest span of that hour late. A span cannot end
 * after it was sent, so its Kafka timestamp bounds its end time up to clock skew; beyond that it is counted
 * ({@code futureSpans}) and kept in {@code late_events} with reason {@code future} instead.
 */
public final class RouteFutureSpans extends ProcessFunction<SpanEvent, SpanEvent> {

    /** Spans whose end lies too far after their arrival. */
    public static final OutputTag<LateSpan> FUTURE_SPANS = new OutputTag<>("future-spans") {};

    private final long maxClockSkewMillis;
    private transient Counter futureSpans;

    public RouteFutureSpans(Duration maxClockSkew) {
        if (maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("maxClockSkew must not be negative, was " + maxClockSkew);
        }
        this.maxClockSkewMillis = maxClockSkew.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        futureSpans = getRuntimeContext().getMetricGroup().counter("futureSpans");
    }

    @Override
    public void processElement(SpanEvent span, Context ctx, Collector<SpanEvent> out) {
        if (span.endEpochMillis() - span.arrivalEpochMillis() > maxClockSkewMillis) {
            futureSpans.inc();
            ctx.output(FUTURE_SPANS, LateSpan.of(span, LateSpan.Reason.FUTURE));
        } else {
            out.collect(span);
        }
    }
}
