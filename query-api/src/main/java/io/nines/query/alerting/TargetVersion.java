package io.nines.query.alerting;

import io.nines.core.slo.NotificationTarget;
import java.time.Instant;
import java.util.Objects;

/** The current version of a notification target and who made it. */
public record TargetVersion(NotificationTarget target, long version, Instant changedAt, String changedBy) {

    public TargetVersion {
        Objects.requireNonNull(target, "target");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
    }

    /** The OpenSLO document with every secret replaced by {@code ***}: the only form answers show. */
    public Object redactedDocument() {
        return TargetCodec.shown(target);
    }
}
