package io.nines.streaming.slo;

import static io.nines.streaming.testing.SloDocuments.availability;
import static io.nines.streaming.testing.SloDocuments.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.nines.streaming.otlp.RejectedRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DecodeDefinitionsTest {

    private static final String CHECKOUT = availability("checkout-ok", "checkout", "", "");

    private OneInputStreamOperatorTestHarness<DefinitionRecord, SloChange> harness;
    private long offset;

    @BeforeEach
    void openHarness() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new DecodeDefinitions());
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void decodesADefinitionAndATombstone() throws Exception {
        decode("checkout-ok", record("checkout-ok", 3, CHECKOUT));
        decode("checkout-ok", null);

        assertThat(harness.extractOutputValues()).containsExactly(
                new SloChange("checkout-ok", 3, CHECKOUT), SloChange.deleted("checkout-ok"));
        assertThat(harness.getSideOutput(DecodeDefinitions.REJECTED)).isNull();
    }

    @Test
    void routesEveryUnusableRecordAsideByPositionAndReason() throws Exception {
        decode(null, record("checkout-ok", 1, CHECKOUT));
        decode("checkout-ok", "{\"not\": \"an envelope\"".getBytes(StandardCharsets.UTF_8));
        decode("other", record("checkout-ok", 1, CHECKOUT));
        decode("checkout-ok", record("checkout-ok", 1, "kind: Banana"));
        decode("checkout-ok", record("checkout-ok", 1, CHECKOUT.replace("checkout-ok", "renamed")));
        decode("checkout-ok", new byte[] {(byte) 0xff, 0, '\n'});

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.getSideOutput(DecodeDefinitions.REJECTED)).extracting(StreamRecord::getValue)
                .extracting(RejectedRecord::offset,
                        rejected -> rejected.reason().startsWith("SLO definition not usable: "))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, true),
                        org.assertj.core.groups.Tuple.tuple(2L, true),
                        org.assertj.core.groups.Tuple.tuple(3L, true),
                        org.assertj.core.groups.Tuple.tuple(4L, true),
                        org.assertj.core.groups.Tuple.tuple(5L, true),
                        org.assertj.core.groups.Tuple.tuple(6L, true));
        assertThat(harness.getSideOutput(DecodeDefinitions.REJECTED)).extracting(StreamRecord::getValue)
                .extracting(RejectedRecord::reason).element(2).asString()
                .contains("keyed 'other' but names SLO 'checkout-ok'");
    }

    private void decode(String key, byte[] value) throws Exception {
        harness.processElement(new DefinitionRecord("nines.slo-definitions", 0, ++offset, key, value), 0);
    }
}
