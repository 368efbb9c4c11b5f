package io.nines.query.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A burndown over [from, to) in steps; what is left out defaults from the SLO (see {@link HistoryService}).
 */
public record HistoryQuery(String name, Optional<Instant> from, Optional<Instant> to, Optional<Duration> step) {

    public HistoryQuery {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(step, "step");
    }
}
