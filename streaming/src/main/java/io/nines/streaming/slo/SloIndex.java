package io.nines.streaming.slo;

import io.nines.core.slo.InvalidSloException;
import io.nines.core.slo.OpenSloReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live SLOs of one parallel instance, parsed once and indexed by service, so a span is only tested
 * against its own service's SLOs. Rebuilt from the broadcast state after a restore, updated per change.
 */
final class SloIndex {

    private static final Logger LOG = LoggerFactory.getLogger(SloIndex.class);

    private final OpenSloReader reader = new OpenSloReader();
    private final Map<String, SloMatcher> byName = new HashMap<>();
    private Map<String, List<SloMatcher>> byService = Map.of();

    /** The SLO's previous matcher, if it had one. */
    Optional<SloMatcher> apply(SloChange change) {
        SloMatcher current = change.isDeletion() ? null : parse(change);
        SloMatcher previous = current == null
                ? byName.remove(change.name())
                : byName.put(change.name(), current);
        reindex();
        return Optional.ofNullable(previous);
    }

    Optional<SloMatcher> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    List<SloMatcher> forService(String service) {
        return byService.getOrDefault(service, List.of());
    }

    /**
     * Null when the document no longer reads: {@link DecodeDefinitions} admitted it, but a restored state may
     * hold a document from before a stricter reader. Such an SLO counts nothing until it is defined again,
     * rather than failing the job on every restart.
     */
    private SloMatcher parse(SloChange change) {
        try {
            return SloMatcher.read(reader, change.name(), change.document());
        } catch (InvalidSloException | IllegalArgumentException e) {
            LOG.error("SLO {} version {} no longer reads ({}); it counts nothing until redefined", change.name(),
                    change.version(), e.getMessage());
            return null;
        }
    }

    private void reindex() {
        Map<String, List<SloMatcher>> index = new HashMap<>();
        for (SloMatcher slo : byName.values()) {
            index.computeIfAbsent(slo.service(), service -> new ArrayList<>()).add(slo);
        }
        index.replaceAll((service, slos) -> List.copyOf(slos));
        byService = index;
    }
}
