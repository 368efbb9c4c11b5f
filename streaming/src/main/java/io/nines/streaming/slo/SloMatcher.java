package io.nines.streaming.slo;

import io.nines.core.slo.Indicator;
import io.nines.core.slo.OpenSloReader;
import io.nines.core.slo.SloDefinition;
import io.nines.core.slo.SpanSelector;
import io.nines.streaming.otlp.SpanEvent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One SLO as the stream applies it to a span: does it select the span, is the span good, which group. */
record SloMatcher(SloDefinition definition) {

    SloMatcher {
        Objects.requireNonNull(definition, "definition");
    }

    /**
     * Reads {@code document} as the one SLO called {@code name}.
     *
     * @throws io.nines.core.slo.InvalidSloException when the document is not a valid OpenSLO SLO
     * @throws IllegalArgumentException when it holds other or more SLOs
     */
    static SloMatcher read(OpenSloReader reader, String name, String document) {
        List<SloDefinition> read = reader.read(document);
        if (read.size() != 1 || !read.get(0).name().equals(name)) {
            throw new IllegalArgumentException("document must hold exactly the SLO '" + name + "', held "
                    + read.stream().map(SloDefinition::name).toList());
        }
        return new SloMatcher(read.get(0));
    }

    String name() {
        return definition.name();
    }

    String service() {
        return definition.service();
    }

    Optional<SloDefinition.GroupBy> groupBy() {
        return definition.groupBy();
    }

    /** The service is the index's business; here the operation (span name or route) and the attributes. */
    boolean selects(SpanEvent span) {
        SpanSelector selector = definition.indicator().selector();
        if (selector.operation().isPresent()) {
            String operation = selector.operation().get();
            if (!operation.equals(span.operation()) && !operation.equals(span.route())) {
                return false;
            }
        }
        for (Map.Entry<String, String> wanted : selector.attributes().entrySet()) {
            if (!wanted.getValue().equals(span.attributes().get(wanted.getKey()))) {
                return false;
            }
        }
        return true;
    }

    boolean isGood(SpanEvent span) {
        if (definition.indicator() instanceof Indicator.Latency latency) {
            return latency.isGood(span.durationMillis(), !span.error());
        }
        return !span.error();
    }
}
