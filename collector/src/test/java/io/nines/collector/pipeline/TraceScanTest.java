package io.nines.collector.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TraceScanTest {

    private static final long NOW = 1_800_000_000_000_000_000L;
    private static final long LATEST = NOW + 600_000_000_000L;

    @Test
    void findsEveryResourceItsServiceAndItsSpans() throws Exception {
        ExportTraceServiceRequest request = rich();
        byte[] wire = request.toByteArray();

        TraceScan.Result scan = TraceScan.scan(wire, LATEST);

        assertThat(scan.spans()).isEqualTo(7);
        assertThat(scan.invalid()).isZero();
        assertThat(scan.slices()).extracting(TraceScan.Slice::serviceName)
                .containsExactly("checkout", "unknown_service", "payments");
        assertThat(scan.slices()).extracting(TraceScan.Slice::spans).containsExactly(3, 0, 4);
        for (int i = 0; i < 3; i++) {
            TraceScan.Slice slice = scan.slices().get(i);
            assertThat(ExportTraceServiceRequest.parseFrom(Arrays.copyOfRange(wire, slice.start(), slice.end())))
                    .isEqualTo(ExportTraceServiceRequest.newBuilder().addResourceSpans(request.getResourceSpans(i)).build());
        }
    }

    @Test
    void countsTheSpansTheRulesReject() throws Exception {
        ExportTraceServiceRequest request = IngestTest.traces(IngestTest.resourceSpans("checkout",
                IngestTest.span(1, 1, NOW - 5, NOW),
                IngestTest.span(0, 2, NOW - 5, NOW),
                IngestTest.span(3, 3, NOW, NOW - 1),
                IngestTest.span(4, 4, NOW, LATEST + 1),
                IngestTest.span(5, 5, NOW, NOW).toBuilder().setParentSpanId(ByteString.copyFrom(new byte[3])).build()));

        TraceScan.Result scan = TraceScan.scan(request.toByteArray(), LATEST);

        assertThat(scan.spans()).isEqualTo(5);
        assertThat(scan.invalid()).isEqualTo(4);
    }

    @Test
    void refusesExactlyWhatParseFromRefusesOnThousandsOfMutatedRequests() {
        byte[] valid = rich().toByteArray();
        SplittableRandom random = new SplittableRandom(Long.getLong("seed", 20261129));
        int refused = 0;
        for (int round = 0; round < Integer.getInteger("rounds", 5000); round++) {
            byte[] mutated = mutate(valid, random);
            boolean parses = parses(mutated);
            boolean scans = scans(mutated);
            assertThat(scans).as("round %d: scan agrees with parseFrom (which %s): %s", round,
                    parses ? "accepts" : "refuses", why(mutated)).isEqualTo(parses);
            refused += parses ? 0 : 1;
        }
        assertThat(refused).as("mutations that broke the request").isGreaterThan(1000);
    }

    @Test
    void refusesInvalidUtf8InAnAttributeAsParseFromDoes() {
        ExportTraceServiceRequest request = rich();
        byte[] wire = request.toByteArray();
        byte[] marker = "some value".getBytes();
        int at = indexOf(wire, marker);
        wire[at] = (byte) 0xC3;
        wire[at + 1] = (byte) 0x28;

        assertThat(parses(wire)).isFalse();
        assertThat(scans(wire)).isFalse();
    }

    private static byte[] mutate(byte[] valid, SplittableRandom random) {
        byte[] bytes = valid.clone();
        switch (random.nextInt(4)) {
            case 0 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 2 -> {
                int at = random.nextInt(bytes.length);
                bytes[at] = (byte) (bytes[at] ^ (1 << random.nextInt(8)));
            }
            default -> {
                for (int i = 0; i < 3; i++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
        }
        return bytes;
    }

    private static boolean parses(byte[] bytes) {
        try {
            ExportTraceServiceRequest.parseFrom(bytes);
            return true;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    /** The first refusal, for the failure message. */
    private static String why(byte[] bytes) {
        try {
            ExportTraceServiceRequest.parseFrom(bytes);
            return "both accept";
        } catch (InvalidProtocolBufferException e) {
            return e.getMessage();
        }
    }

    private static boolean scans(byte[] bytes) {
        try {
            TraceScan.scan(bytes, LATEST);
            return true;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    /** Three resources (one without spans or name), attributes of every type, links, events and statuses. */
    static ExportTraceServiceRequest rich() {
        AnyValue nested = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(KeyValue.newBuilder().setKey("inner").setValue(AnyValue.newBuilder()
                        .setArrayValue(ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setIntValue(-3))
                                .addValues(AnyValue.newBuilder().setDoubleValue(2.5))
                                .addValues(AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("raw"))))))).build();
        Span.Builder span = Span.newBuilder().setName("GET /items/{id}").setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setTraceState("k=v").setFlags(1).setDroppedAttributesCount(2)
                .addAttributes(KeyValue.newBuilder().setKey("http.route").setValue(AnyValue.newBuilder().setStringValue("some value")))
                .addAttributes(KeyValue.newBuilder().setKey("ok").setValue(AnyValue.newBuilder().setBoolValue(true)))
                .addAttributes(KeyValue.newBuilder().setKey("nested").setValue(nested))
                .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(NOW - 2)
                        .addAttributes(KeyValue.newBuilder().setKey("exception.message")
                                .setValue(AnyValue.newBuilder().setStringValue("boom \u00e9\u4e2d"))))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("failed"));
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        int id = 1;
        for (String service : new String[] {"checkout", null, "payments"}) {
            ResourceSpans.Builder resource = ResourceSpans.newBuilder().setSchemaUrl("https://opentelemetry.io/schemas/1.26.0");
            if (service != null) {
                resource.setResource(IngestTest.named(service));
                for (String scopeName : new String[] {"a", "b"}) {
                    ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                            .setScope(InstrumentationScope.newBuilder().setName(scopeName).setVersion("1"));
                    int spans = service.equals("checkout") && scopeName.equals("b") ? 1 : 2;
                    for (int i = 0; i < spans; i++, id++) {
                        scope.addSpans(span.clone().setTraceId(IngestTest.id(16, id)).setSpanId(IngestTest.id(8, id))
                                .setParentSpanId(IngestTest.id(8, 100 + id)).setStartTimeUnixNano(NOW - 10)
                                .setEndTimeUnixNano(NOW).addLinks(Span.Link.newBuilder().setTraceId(IngestTest.id(16, 9))
                                        .setSpanId(IngestTest.id(8, 9))));
                    }
                    resource.addScopeSpans(scope);
                }
            }
            request.addResourceSpans(resource);
        }
        return request.build();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
