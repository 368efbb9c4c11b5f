package io.nines.query.slo;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An {@code If-Match} precondition on a change: the versions it may replace, or any current version ({@code *}).
 * A set without versions (the client sent only tags that name none) matches nothing.
 */
public record IfMatch(boolean any, Set<Long> versions) {

    public IfMatch {
        versions = Set.copyOf(Objects.requireNonNull(versions, "versions must not be null"));
    }

    /** Whether a change may replace {@code current}; nothing matches an SLO that does not exist. */
    boolean matches(Optional<SloVersion> current) {
        return current.isPresent() && (any || versions.contains(current.get().version()));
    }

    String describe() {
        return any ? "*" : versions.isEmpty() ? "no version" : "version " + new TreeSet<>(versions);
    }
}
