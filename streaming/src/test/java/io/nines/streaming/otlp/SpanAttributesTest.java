package io.nines.streaming.otlp;

import static io.nines.streaming.testing.OtlpSpans.attribute;
import static io.nines.streaming.testing.OtlpSpans.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** What a span event keeps for SLO selectors: exact duration and bounded, textual attributes. */
class SpanAttributesTest {

    private static final Instant END = Instant.parse("2026-11-29T10:15:42.123456789Z");

    @Test
    void keepsTheSpansAttributesOverTheResourcesAsTextAndTheDurationToTheNanosecond() throws Exception {
        long endNanos = END.getEpochSecond() * 1_000_000_000L + END.getNano();
        var span = server("GET", END, 0).setStartTimeUnixNano(endNanos - 287_000_001)
                .addAttributes(attribute("http.route", "/orders/{id}"))
                .addAttributes(attribute("region", "eu-west"))
                .addAttributes(attribute("http.response.status_code", 200))
                .addAttributes(KeyValue.newBuilder().setKey("cached")
                        .setValue(AnyValue.newBuilder().setBoolValue(true)))
                .addAttributes(KeyValue.newBuilder().setKey("tags")
                        .setValue(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                                .addValues(AnyValue.newBuilder().setStringValue("a")))));
        Resource resource = Resource.newBuilder()
                .addAttributes(attribute("service.name", "checkout"))
                .addAttributes(attribute("region", "us-east"))
                .addAttributes(attribute("deployment.environment", "prod"))
                .build();
        byte[] request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(resource).addScopeSpans(ScopeSpans.newBuilder().addSpans(span))).build().toByteArray();

        try (OneInputStreamOperatorTestHarness<OtlpRecord, SpanEvent> harness =
                     ProcessFunctionTestHarnesses.forProcessFunction(new SpanDecoder())) {
            harness.processElement(new OtlpRecord("otlp_spans", 0, 0, request), 0);

            SpanEvent event = harness.extractOutputValues().get(0);
            assertThat(event.durationNanos()).isEqualTo(287_000_001);
            assertThat(event.durationMillis()).isGreaterThan(287.0);
            assertThat(event.route()).isEqualTo("/orders/{id}");
            assertThat(event.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "http.route", "/orders/{id}", "region", "eu-west", "http.response.status_code", "200",
                    "cached", "true", "deployment.environment", "prod"));
        }
    }

    @Test
    void boundsHowManyAttributesAndHowLongTheyAre() {
        List<KeyValue> many = new ArrayList<>();
        many.add(attribute("huge", "x".repeat(SpanAttributes.MAX_VALUE_CHARS + 1)));
        many.add(attribute("k".repeat(SpanAttributes.MAX_KEY_CHARS + 1), "v"));
        for (int i = 0; i < 2 * SpanAttributes.MAX_ATTRIBUTES; i++) {
            many.add(attribute("a" + i, "v" + i));
        }

        Map<String, String> kept = SpanAttributes.of(many, Map.of("from.resource", "r"));

        assertThat(kept).hasSize(SpanAttributes.MAX_ATTRIBUTES).doesNotContainKeys("huge", "from.resource")
                .containsEntry("a0", "v0").containsEntry("a63", "v63");
    }
}
