package io.nines.streaming.latency;

import io.nines.streaming.otlp.SpanEvent;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys spans by the operation they measure. */
public final class ByOperation implements KeySelector<SpanEvent, OperationKey> {

    @Override
    public OperationKey getKey(SpanEvent span) {
        return new OperationKey(span.service(), span.operation());
    }
}
