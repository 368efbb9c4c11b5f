package io.nines.query.slo;

import io.nines.core.slo.SloDefinition;
import java.time.Instant;
import java.util.Objects;

/**
 * One stored version of an SLO: its OpenSLO document as canonical JSON and the definition read from it.
 * A deletion is a version too, carrying the last document.
 */
public record SloVersion(SloDefinition definition, long version, String document, boolean deleted,
        Instant changedAt, String changedBy) {

    public SloVersion {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(changedAt, "changedAt");
        Objects.requireNonNull(changedBy, "changedBy");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
        if (document == null || document.isBlank()) {
            throw new IllegalArgumentException("document must not be blank");
        }
    }

    public String name() {
        return definition.name();
    }
}
