package io.nines.streaming.slo;

import io.nines.streaming.otlp.SpanEvent;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * Keys spans by service, so every span an SLO can select meets that SLO's group cap in one place: an SLO
 * selects spans of one service only.
 */
public final class ByService implements KeySelector<SpanEvent, String> {

    @Override
    public String getKey(SpanEvent span) {
        return span.service();
    }
}
