package io.nines.streaming.slo;

import io.nines.core.slo.InvalidSloException;
import io.nines.core.slo.OpenSloReader;
import io.nines.core.slo.SloRecord;
import io.nines.streaming.otlp.RejectedRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns records of the definitions topic into {@link SloChange}s: a tombstone deletes its key's SLO, any
 * other value must be a {@link SloRecord} for the key whose document {@link OpenSloReader} reads as that one
 * SLO. Anything else is counted and routed to {@link #REJECTED}; the SLO it names keeps its last valid
 * definition, and the job keeps running.
 */
public final class DecodeDefinitions extends ProcessFunction<DefinitionRecord, SloChange> {

    /** Definition records that could not be used. */
    public static final OutputTag<RejectedRecord> REJECTED = new OutputTag<>("rejected-slo-definitions") {};

    private transient OpenSloReader reader;
    private transient Counter definitions;
    private transient Counter undecodable;

    @Override
    public void open(OpenContext openContext) {
        reader = new OpenSloReader();
        var metrics = getRuntimeContext().getMetricGroup();
        definitions = metrics.counter("sloDefinitions");
        undecodable = metrics.counter("undecodableSloDefinitions");
    }

    @Override
    public void processElement(DefinitionRecord record, Context ctx, Collector<SloChange> out) {
        if (record.key() == null || record.key().isEmpty()) {
            reject(record, "record has no key: the key must be the SLO name", ctx);
            return;
        }
        if (record.value() == null) {
            definitions.inc();
            out.collect(SloChange.deleted(record.key()));
            return;
        }
        try {
            SloRecord slo = SloRecord.fromJson(record.value());
            if (!slo.name().equals(record.key())) {
                throw new IllegalArgumentException("record is keyed '" + record.key() + "' but names SLO '"
                        + slo.name() + "'");
            }
            SloMatcher.read(reader, slo.name(), slo.document());
            definitions.inc();
            out.collect(new SloChange(slo.name(), slo.version(), slo.document()));
        } catch (InvalidSloException | IllegalArgumentException e) {
            reject(record, e.getMessage(), ctx);
        }
    }

    private void reject(DefinitionRecord record, String reason, Context ctx) {
        undecodable.inc();
        ctx.output(REJECTED, new RejectedRecord(record.topic(), record.partition(), record.offset(),
                "SLO definition not usable: " + reason));
    }
}
