package io.nines.streaming.alerting;

import io.nines.core.alerting.LatencyRule;
import io.nines.core.slo.InvalidSloException;
import io.nines.core.slo.OpenSloReader;
import io.nines.core.slo.SloDefinition;
import io.nines.streaming.slo.SloChange;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parsed definitions of one parallel instance, read from the broadcast state's documents once per
 * version: after a restore the broadcast state is all there is, and parsing on every pane would be waste.
 */
final class AlertDefinitions {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDefinitions.class);

    private final OpenSloReader reader = new OpenSloReader();
    private final Map<String, Parsed> byName = new HashMap<>();

    /**
     * A definition and the version it came with, with its latency rules and their longest lookback worked out
     * once (every span of the SLO asks for them).
     */
    record Parsed(long version, SloDefinition slo, List<LatencyRule> latencyRules, Duration latencyReach) {

        Parsed(long version, SloDefinition slo) {
            this(version, slo, LatencyPanes.rulesOf(slo.alertPolicy()),
                    LatencyPanes.reach(LatencyPanes.rulesOf(slo.alertPolicy())));
        }
    }

    /** The definition {@code change} carries; null when it is a deletion or no longer reads. */
    Parsed get(SloChange change) {
        if (change == null || change.document() == null) {
            return null;
        }
        Parsed cached = byName.get(change.name());
        if (cached != null && cached.version() == change.version()) {
            return cached;
        }
        try {
            List<SloDefinition> read = reader.read(change.document());
            if (read.size() != 1 || !read.get(0).name().equals(change.name())) {
                throw new IllegalArgumentException("document does not hold exactly the SLO " + change.name());
            }
            Parsed parsed = new Parsed(change.version(), read.get(0));
            byName.put(change.name(), parsed);
            return parsed;
        } catch (InvalidSloException | IllegalArgumentException e) {
            // Admitted when it arrived, so only a restored state from before a stricter reader gets here.
            LOG.error("SLO {} version {} no longer reads ({}); it alerts on nothing until redefined", change.name(),
                    change.version(), e.getMessage());
            return null;
        }
    }

    void forget(String name) {
        byName.remove(name);
    }
}
