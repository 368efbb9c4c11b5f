package io.nines.streaming.slo;

import io.nines.core.slo.SloDefinition;
import io.nines.streaming.otlp.SpanEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tests every span against the SLOs of its service and emits one {@link SloEvent} per SLO that selects it.
 *
 * <p>Definitions arrive as broadcast {@link SloChange}s (broadcast state keyed by SLO name); a span counts
 * for an SLO from the moment this operator has seen the SLO's definition, with no backfill. Spans are keyed
 * by service, and an SLO selects spans of its own service only, so the keyed state here sees every span of
 * an SLO and decides its groups: the first {@code maxGroups} distinct values of the groupBy attribute each
 * get a group, later values fold into {@link #OTHER} (counted, logged once per SLO), and spans without the
 * attribute go to {@link #NONE}. Deleting an SLO, or changing its service or groupBy, forgets its groups.
 */
public final class EvaluateSlos extends KeyedBroadcastProcessFunction<String, SpanEvent, SloChange, SloEvent> {

    /** Broadcast state: the live definition of every SLO, by name. */
    public static final MapStateDescriptor<String, SloChange> DEFINITIONS =
            new MapStateDescriptor<>("slo-definitions", Types.STRING, TypeInformation.of(SloChange.class));

    /** The group of spans whose groupBy value came after the SLO's {@code maxGroups} were taken. */
    public static final String OTHER = SloDefinition.GroupBy.OVERFLOW;
    /** The group of spans that do not carry the SLO's groupBy attribute. */
    public static final String NONE = "__none__";

    private static final Logger LOG = LoggerFactory.getLogger(EvaluateSlos.class);
    private static final char SEPARATOR = '\n';

    // Keyed by service. Groups: "slo\nvalue" for every admitted value (and "slo\n__other__" once the SLO
    // has overflowed, so the overflow is logged once); group counts: slo -> values admitted.
    private static final MapStateDescriptor<String, Boolean> GROUPS =
            new MapStateDescriptor<>("slo-groups", Types.STRING, Types.BOOLEAN);
    private static final MapStateDescriptor<String, Integer> GROUP_COUNTS =
            new MapStateDescriptor<>("slo-group-counts", Types.STRING, Types.INT);

    private transient SloIndex index;
    private transient MapState<String, Boolean> groups;
    private transient MapState<String, Integer> groupCounts;
    private transient Counter sloEvents;
    private transient Counter foldedIntoOther;

    @Override
    public void open(OpenContext openContext) {
        groups = getRuntimeContext().getMapState(GROUPS);
        groupCounts = getRuntimeContext().getMapState(GROUP_COUNTS);
        var metrics = getRuntimeContext().getMetricGroup();
        sloEvents = metrics.counter("sloEvents");
        foldedIntoOther = metrics.counter("sloGroupOverflowEvents");
    }

    @Override
    public void processBroadcastElement(SloChange change, Context ctx, Collector<SloEvent> out) throws Exception {
        SloIndex slos = index(ctx.getBroadcastState(DEFINITIONS).immutableEntries());
        if (change.isDeletion()) {
            ctx.getBroadcastState(DEFINITIONS).remove(change.name());
        } else {
            ctx.getBroadcastState(DEFINITIONS).put(change.name(), change);
        }
        Optional<SloMatcher> previous = slos.apply(change);
        Optional<SloMatcher> current = slos.get(change.name());
        if (previous.isPresent() && !sameGroups(previous.get(), current)) {
            String prefix = change.name() + SEPARATOR;
            ctx.applyToKeyedState(GROUPS, (service, state) -> {
                List<String> ofSlo = new ArrayList<>();
                for (String key : state.keys()) {
                    if (key.startsWith(prefix)) {
                        ofSlo.add(key);
                    }
                }
                for (String key : ofSlo) {
                    state.remove(key);
                }
            });
            ctx.applyToKeyedState(GROUP_COUNTS, (service, state) -> state.remove(change.name()));
        }
    }

    @Override
    public void processElement(SpanEvent span, ReadOnlyContext ctx, Collector<SloEvent> out) throws Exception {
        for (SloMatcher slo : index(ctx.getBroadcastState(DEFINITIONS).immutableEntries()).forService(span.service())) {
            if (slo.selects(span)) {
                String group = slo.groupBy().isPresent() ? group(slo, slo.groupBy().get(), span) : "";
                sloEvents.inc();
                out.collect(new SloEvent(slo.name(), group, slo.isGood(span), span.endEpochMillis(),
                        span.durationMillis()));
            }
        }
    }

    private String group(SloMatcher slo, SloDefinition.GroupBy groupBy, SpanEvent span) throws Exception {
        String value = span.attributes().get(groupBy.attribute());
        if (value == null || value.isEmpty()) {
            return NONE;
        }
        String key = slo.name() + SEPARATOR + value;
        if (groups.contains(key)) {
            return value;
        }
        Integer count = groupCounts.get(slo.name());
        int admitted = count == null ? 0 : count;
        if (admitted < groupBy.maxGroups()) {
            groups.put(key, true);
            groupCounts.put(slo.name(), admitted + 1);
            return value;
        }
        foldedIntoOther.inc();
        String overflow = slo.name() + SEPARATOR + OTHER;
        if (!groups.contains(overflow)) {
            groups.put(overflow, true);
            LOG.warn("SLO {} has more than its maxGroups={} values of {}; further values, first '{}', count in"
                    + " group {}", slo.name(), groupBy.maxGroups(), groupBy.attribute(), value, OTHER);
        }
        return OTHER;
    }

    /** The parsed SLOs; after a restore the broadcast state is all there is, so they are parsed from it once. */
    private SloIndex index(Iterable<Map.Entry<String, SloChange>> definitions) {
        if (index == null) {
            index = new SloIndex();
            for (Map.Entry<String, SloChange> definition : definitions) {
                index.apply(definition.getValue());
            }
        }
        return index;
    }

    private static boolean sameGroups(SloMatcher previous, Optional<SloMatcher> current) {
        return current.isPresent() && previous.service().equals(current.get().service())
                && Objects.equals(previous.groupBy(), current.get().groupBy());
    }
}
