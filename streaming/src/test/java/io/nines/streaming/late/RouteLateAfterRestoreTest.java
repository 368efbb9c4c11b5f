package io.nines.streaming.late;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Snapshots and restores the operator with Flink's test harness, as a job restored from a checkpoint does. */
class RouteLateAfterRestoreTest {

    private static final OutputTag<String> LATE = new OutputTag<>("late") {};
    private static final Duration LATENESS = Duration.ofMinutes(10);
    private static final long MINUTE = Instant.parse("2026-11-29T10:00:00Z").toEpochMilli();
    /** The watermark at which the window of {@link #MINUTE} is purged: its last millisecond plus the lateness. */
    private static final long PURGES_MINUTE = MINUTE + 59_999 + LATENESS.toMillis();

    private final List<AutoCloseable> opened = new ArrayList<>();
    private InterceptingOperatorMetricGroup metrics;

    @AfterEach
    void closeHarnesses() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void afterRestoreRoutesElementsOfPurgedMinutesAsideAndPassesTimelyOnes() throws Exception {
        OperatorSubtaskState checkpoint = checkpointAt(PURGES_MINUTE);

        var restored = harness(checkpoint);
        restored.processElement("purged minute, last millisecond", MINUTE + 59_999);
        restored.processElement("purged minute, first millisecond", MINUTE);
        restored.processElement("next minute, still within the lateness", MINUTE + 60_000);
        restored.processElement(new StreamRecord<>("no timestamp"));

        assertThat(restored.extractOutputValues())
                .containsExactly("next minute, still within the lateness", "no timestamp");
        assertThat(restored.getSideOutput(LATE)).extracting(StreamRecord::getValue)
                .containsExactly("purged minute, last millisecond", "purged minute, first millisecond");
        assertThat(lateAfterRestore()).isEqualTo(2);
    }

    @Test
    void aJobStartedWithoutACheckpointRoutesNothing() throws Exception {
        var fresh = harness(null);
        fresh.processElement("a day old", MINUTE - Duration.ofDays(1).toMillis());

        assertThat(fresh.extractOutputValues()).containsExactly("a day old");
        assertThat(fresh.getSideOutput(LATE)).isNull();
        assertThat(lateAfterRestore()).isZero();
    }

    @Test
    void onceTheLiveWatermarkPassesTheRestoredOneTheWindowsJudgeAlone() throws Exception {
        var restored = harness(checkpointAt(PURGES_MINUTE));
        restored.processWatermark(new Watermark(PURGES_MINUTE - 1));
        restored.processElement("still guarded", MINUTE);
        restored.processWatermark(new Watermark(PURGES_MINUTE));
        restored.processElement("for the windows to set aside", MINUTE);

        assertThat(restored.extractOutputValues()).containsExactly("for the windows to set aside");
        assertThat(restored.getSideOutput(LATE)).extracting(StreamRecord::getValue).containsExactly("still guarded");
        // the watermarks pass through unchanged
        assertThat(restored.getOutput()).filteredOn(Watermark.class::isInstance)
                .containsExactly(new Watermark(PURGES_MINUTE - 1), new Watermark(PURGES_MINUTE));
    }

    @Test
    void aCheckpointTakenBeforeTheLiveWatermarkCatchesUpKeepsTheRestoredOne() throws Exception {
        var restored = harness(checkpointAt(PURGES_MINUTE));
        restored.processWatermark(new Watermark(MINUTE));
        OperatorSubtaskState second = restored.snapshot(2, 2);

        var restoredAgain = harness(second);
        restoredAgain.processElement("purged before the first checkpoint", MINUTE);

        assertThat(restoredAgain.getSideOutput(LATE)).extracting(StreamRecord::getValue)
                .containsExactly("purged before the first checkpoint");
        assertThat(restoredAgain.extractOutputValues()).isEmpty();
    }

    @Test
    void restoresTheLowestWatermarkOfTheActiveSubtasksAsTheWindowsCombinedThem() throws Exception {
        long minuteLater = PURGES_MINUTE + 60_000;
        OperatorSubtaskState ahead = checkpointAt(minuteLater);
        OperatorSubtaskState behind = checkpointAt(PURGES_MINUTE);
        // an idle input holds no window back, however old its watermark
        OperatorSubtaskState idle = checkpoint(MINUTE - Duration.ofHours(1).toMillis(), true);
        OperatorSubtaskState neverSawAWatermark = checkpoint(Long.MIN_VALUE, false);

        var rescaled = harness(AbstractStreamOperatorTestHarness.repackageState(ahead, behind, idle,
                neverSawAWatermark));
        rescaled.processElement("purged everywhere", MINUTE);
        rescaled.processElement("purged only where the watermark was ahead", MINUTE + 60_000);

        assertThat(rescaled.getSideOutput(LATE)).extracting(StreamRecord::getValue)
                .containsExactly("purged everywhere");
        assertThat(rescaled.extractOutputValues()).containsExactly("purged only where the watermark was ahead");
    }

    @Test
    void whenEverySubtaskWasIdleRestoresTheHighestWatermark() throws Exception {
        var restored = harness(AbstractStreamOperatorTestHarness.repackageState(
                checkpoint(PURGES_MINUTE, true), checkpoint(MINUTE, true)));
        restored.processElement("purged", MINUTE);
        restored.processElement("open", MINUTE + 60_000);

        assertThat(restored.getSideOutput(LATE)).extracting(StreamRecord::getValue).containsExactly("purged");
        assertThat(restored.extractOutputValues()).containsExactly("open");
    }

    private OperatorSubtaskState checkpointAt(long watermark) throws Exception {
        return checkpoint(watermark, false);
    }

    private OperatorSubtaskState checkpoint(long watermark, boolean idle) throws Exception {
        var running = harness(null);
        if (watermark != Long.MIN_VALUE) {
            running.processWatermark(new Watermark(watermark));
        }
        if (idle) {
            running.processWatermarkStatus(WatermarkStatus.IDLE);
        }
        return running.snapshot(1, 1);
    }

    private OneInputStreamOperatorTestHarness<String, String> harness(OperatorSubtaskState restoreFrom)
            throws Exception {
        metrics = new InterceptingOperatorMetricGroup();
        InterceptingOperatorMetricGroup group = metrics;
        MockEnvironment environment = new MockEnvironmentBuilder().setMetricGroup(new InterceptingTaskMetricGroup() {
            @Override
            public InternalOperatorMetricGroup getOrAddOperator(OperatorID id, String name, Map<String, String> info) {
                return group;
            }
        }).build();
        opened.add(environment);
        var harness = new OneInputStreamOperatorTestHarness<>(new RouteLateAfterRestore<>(LATENESS, LATE), environment);
        opened.add(harness);
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }

    private long lateAfterRestore() {
        return ((Counter) metrics.get("lateAfterRestore")).getCount();
    }
}
