package io.nines.streaming.slo;

import org.apache.flink.api.java.functions.KeySelector;

/** Keys SLO events by the budget they count towards. */
public final class BySloGroup implements KeySelector<SloEvent, SloKey> {

    @Override
    public SloKey getKey(SloEvent event) {
        return new SloKey(event.slo(), event.group());
    }
}
