package io.nines.streaming;

import io.nines.streaming.otlp.OtlpRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Passes records through, and in the first attempt of its task throws after {@code records} of them: a real
 * task failure in the middle of the stream, after which Flink restores the job from its last checkpoint.
 * The attempt number, not a static flag, says whether it already failed, so it needs no shared state.
 */
final class FailOnceAfter extends RichMapFunction<OtlpRecord, OtlpRecord> {

    private final long records;
    private transient boolean firstAttempt;
    private transient long seen;

    FailOnceAfter(long records) {
        this.records = records;
    }

    @Override
    public void open(OpenContext openContext) {
        firstAttempt = getRuntimeContext().getTaskInfo().getAttemptNumber() == 0;
    }

    @Override
    public OtlpRecord map(OtlpRecord record) {
        if (firstAttempt && ++seen > records) {
            throw new IllegalStateException("injected failure after " + records + " records, at " + record.position());
        }
        return record;
    }
}
