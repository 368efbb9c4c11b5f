package io.nines.streaming.alerting;

import io.nines.streaming.slo.SloEvent;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys SLO events by SLO, all groups together: alerts are per SLO. */
public final class BySlo implements KeySelector<SloEvent, String> {

    @Override
    public String getKey(SloEvent event) {
        return event.slo();
    }
}
