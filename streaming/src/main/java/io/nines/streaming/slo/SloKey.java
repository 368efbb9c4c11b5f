package io.nines.streaming.slo;

import java.util.Objects;

/** The key SLO events are counted by: one SLO's one group. */
public record SloKey(String slo, String group) {

    public SloKey {
        Objects.requireNonNull(slo, "slo");
        Objects.requireNonNull(group, "group");
    }

    // Flink routes keys by hashCode, so it must be the same in every JVM; a record's generated hashCode is
    // not specified to be, String's is.
    @Override
    public int hashCode() {
        return 31 * slo.hashCode() + group.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SloKey key && slo.equals(key.slo) && group.equals(key.group);
    }
}
