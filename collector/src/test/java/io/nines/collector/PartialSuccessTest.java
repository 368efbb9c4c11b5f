package io.nines.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.nines.collector.otlp.OtlpJson;
import io.nines.infra.testing.EmbeddedKafka;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Invalid spans are left out and counted in {@code partial_success}; the valid rest is written. */
class PartialSuccessTest extends WithRunningCollector {

    private static final String MESSAGE = "rejected 4 of 10 spans: 1 without a valid 16-byte trace id, 1 without a "
            + "valid 8-byte span id, 1 ending before they start, 1 with timestamps too far in the future";

    PartialSuccessTest(EmbeddedKafka kafka) {
        super(kafka, "partial");
    }

    @Test
    void answersProtobufWithRejectedSpansAndWritesTheRest() throws Exception {
        HttpResponse<byte[]> response = new TestRequests(collector.otlpHttpPort()).postTraces(sixValidFourInvalid());

        assertThat(response.statusCode()).isEqualTo(200);
        ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(response.body());
        assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(4);
        assertThat(answer.getPartialSuccess().getErrorMessage()).isEqualTo(MESSAGE);
        assertValidSpansInKafka();
        assertThat(new TestRequests(collector.metricsPort()).get("/metrics").body())
                .contains("nines_collector_spans_total{outcome=\"rejected\",reason=\"invalid_trace_id\",transport=\"http\"} 1.0")
                .contains("nines_collector_spans_total{outcome=\"rejected\",reason=\"too_far_in_future\",transport=\"http\"} 1.0")
                .contains("nines_collector_spans_total{outcome=\"accepted\",reason=\"none\",transport=\"http\"} 6.0");
    }

    @Test
    void answersJsonWithAJsonPartialSuccess() throws Exception {
        OtlpJson json = new OtlpJson();
        HttpResponse<byte[]> response = new TestRequests(collector.otlpHttpPort()).post("/v1/traces",
                "application/json", json.print(sixValidFourInvalid()).getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"partialSuccess\":{\"rejectedSpans\":\"4\",\"errorMessage\":\"" + MESSAGE + "\"}}");
        assertValidSpansInKafka();
    }

    @Test
    void answersGrpcWithRejectedSpansInTheResponse() throws Exception {
        ManagedChannel channel = GrpcClients.channel(collector.otlpGrpcPort());
        try {
            ExportTraceServiceResponse answer = TraceServiceGrpc.newBlockingStub(channel).export(sixValidFourInvalid());

            assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(4);
            assertThat(answer.getPartialSuccess().getErrorMessage()).isEqualTo(MESSAGE);
        } finally {
            GrpcClients.close(channel);
        }
        assertValidSpansInKafka();
    }

    @Test
    void acceptsAnEmptyRequestOnBothTransports() throws Exception {
        HttpResponse<byte[]> response = new TestRequests(collector.otlpHttpPort())
                .post("/v1/logs", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        ManagedChannel channel = GrpcClients.channel(collector.otlpGrpcPort());
        try {
            assertThat(TraceServiceGrpc.newBlockingStub(channel).export(ExportTraceServiceRequest.getDefaultInstance()))
                    .isEqualTo(ExportTraceServiceResponse.getDefaultInstance());
        } finally {
            GrpcClients.close(channel);
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    /** Span ids 1..10; 1, 2, 3 and 4 are invalid in one way each. */
    private static ExportTraceServiceRequest sixValidFourInvalid() {
        ExportTraceServiceRequest request = Spans.request("checkout", 1, 10);
        ScopeSpans scope = request.getResourceSpans(0).getScopeSpans(0);
        long now = Instant.now().getEpochSecond() * 1_000_000_000L;
        List<Span> spans = List.of(
                scope.getSpans(0).toBuilder().setTraceId(ByteString.copyFrom(new byte[16])).build(),
                scope.getSpans(1).toBuilder().setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 2, 9})).build(),
                scope.getSpans(2).toBuilder().setEndTimeUnixNano(scope.getSpans(2).getStartTimeUnixNano() - 1).build(),
                scope.getSpans(3).toBuilder().setEndTimeUnixNano(now + Duration.ofMinutes(11).toNanos()).build());
        ScopeSpans.Builder mixed = scope.toBuilder().clearSpans().addAllSpans(spans)
                .addAllSpans(scope.getSpansList().subList(4, 10));
        return request.toBuilder().setResourceSpans(0, request.getResourceSpans(0).toBuilder().setScopeSpans(0, mixed))
                .build();
    }

    private void assertValidSpansInKafka() {
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
            List<ConsumerRecord<String, byte[]>> records = reader.awaitAtLeast(1);
            assertThat(reader.drain(Duration.ofMillis(300))).hasSize(1);
            assertThat(Spans.spanIds(records)).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
        }
    }
}
