package io.nines.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.rpc.Status;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * When the in-flight budget is spent the collector refuses at once with a retryable answer (429 + Retry-After,
 * gRPC UNAVAILABLE + RetryInfo), and an SDK exporter with retries enabled delivers its data exactly once later.
 */
@ExtendWith(NinesInfra.class)
class BackpressureTest {

    private static final int MIB = 1024 * 1024;

    private final EmbeddedKafka kafka;
    private final String topic = NinesInfra.uniqueName("pressure");
    private RunningCollector collector;

    BackpressureTest(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    @AfterEach
    void stop() {
        collector.close();
    }

    @Test
    void refusesRequestsBeyondTheRequestBudgetOnBothTransports() throws Exception {
        collector = CollectorMain.start(TestConfigs.builder(kafka.bootstrapServers(), topic).inflight(64 * MIB, 1).build());
        byte[] body = Spans.request("checkout", 1, 2000).toByteArray();
        try (HangingRequest hanging = HangingRequest.start(collector.otlpHttpPort(), body, body.length - 10)) {
            awaitGauge("nines_collector_inflight_requests", 1);

            HttpResponse<byte[]> refused = new TestRequests(collector.otlpHttpPort())
                    .postTraces(Spans.request("checkout", 100, 5));
            ManagedChannel channel = GrpcClients.channel(collector.otlpGrpcPort());
            StatusRuntimeException grpcRefused;
            try {
                grpcRefused = catchThrowableOfType(StatusRuntimeException.class,
                        () -> TraceServiceGrpc.newBlockingStub(channel).export(Spans.request("checkout", 200, 5)));
            } finally {
                GrpcClients.close(channel);
            }

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(Status.parseFrom(refused.body()).getMessage()).isEqualTo("the collector is at capacity; retry later");
            assertThat(grpcRefused.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
            assertThat(GrpcClients.retryDelay(grpcRefused)).contains(Duration.ofSeconds(7));
            assertThat(hanging.finish().statusCode()).isEqualTo(200);
        }
        assertThat(metrics()).contains("nines_collector_requests_total{outcome=\"refused\",reason=\"over_budget\","
                + "signal=\"traces\",transport=\"http\"} 1.0");
        assertThat(gauge("nines_collector_inflight_requests")).isZero();
        assertThat(gauge("nines_collector_inflight_bytes")).isZero();
    }

    @Test
    void refusesABodyBeyondTheByteBudget() throws Exception {
        collector = CollectorMain.start(TestConfigs.builder(kafka.bootstrapServers(), topic)
                .maxBodyBytes(MIB).inflight(MIB, 10).build());
        byte[] big = Spans.request("checkout", 1, 6000).toByteArray();
        assertThat(big.length).isBetween(600 * 1024, MIB);
        try (HangingRequest hanging = HangingRequest.start(collector.otlpHttpPort(), big, big.length - 10)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge("nines_collector_inflight_bytes") > 512 * 1024);

            HttpResponse<byte[]> refused = new TestRequests(collector.otlpHttpPort())
                    .postTraces(Spans.request("checkout", 10_000, 3000));

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(hanging.finish().statusCode()).isEqualTo(200);
        }
        assertThat(new TestRequests(collector.otlpHttpPort()).postTraces(Spans.request("checkout", 10_000, 3000))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void refusesABodyBeyondTheByteBudgetBeforeAnExpectingClientUploadsIt() throws Exception {
        collector = CollectorMain.start(TestConfigs.builder(kafka.bootstrapServers(), topic)
                .maxBodyBytes(MIB).inflight(MIB, 10).build());
        byte[] big = Spans.request("checkout", 1, 6000).toByteArray();
        try (HangingRequest hanging = HangingRequest.start(collector.otlpHttpPort(), big, big.length - 10)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge("nines_collector_inflight_bytes") > 512 * 1024);
            byte[] refusedBody = Spans.request("checkout", 10_000, 3000).toByteArray();
            AtomicLong uploaded = new AtomicLong();

            ExpectingContinue.Answer refused = ExpectingContinue.send(
                    "http://127.0.0.1:" + collector.otlpHttpPort() + "/v1/traces", "POST", "application/x-protobuf",
                    null, () -> new ByteArrayInputStream(refusedBody), refusedBody.length, uploaded);

            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.retryAfter()).isEqualTo("7");
            // the budget could not hold the announced length: refused instead of 100 Continue
            assertThat(uploaded).hasValue(0);
            assertThat(hanging.finish().statusCode()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void sdkExporterRetriesARefusedRequestAndItIsDeliveredExactlyOnce(String transport) throws Exception {
        collector = CollectorMain.start(TestConfigs.builder(kafka.bootstrapServers(), topic).inflight(64 * MIB, 1).build());
        RetryPolicy retries = RetryPolicy.builder().setMaxAttempts(5).setInitialBackoff(Duration.ofSeconds(1))
                .setMaxBackoff(Duration.ofSeconds(2)).build();
        SpanExporter exporter = transport.equals("grpc")
                ? OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + collector.otlpGrpcPort())
                        .setRetryPolicy(retries).setTimeout(Duration.ofSeconds(30)).build()
                : OtlpHttpSpanExporter.builder().setEndpoint("http://127.0.0.1:" + collector.otlpHttpPort() + "/v1/traces")
                        .setRetryPolicy(retries).setTimeout(Duration.ofSeconds(30)).build();
        byte[] body = Spans.request("hanging", 1, 2000).toByteArray();
        try {
            CompletableResultCode exported;
            try (HangingRequest hanging = HangingRequest.start(collector.otlpHttpPort(), body, body.length - 10)) {
                awaitGauge("nines_collector_inflight_requests", 1);
                exported = exporter.export(SdkData.finishedSpans("checkout", "GET /", 1, 2, 3, 4, 5, 6, 7));
                await().atMost(Duration.ofSeconds(10)).until(() -> metrics().contains(
                        "reason=\"over_budget\",signal=\"traces\",transport=\"" + transport + "\"} 1.0"));
                assertThat(hanging.finish().statusCode()).isEqualTo(200);
            }

            assertThat(exported.join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
        } finally {
            exporter.shutdown().join(5, TimeUnit.SECONDS);
        }

        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
            reader.awaitAtLeast(2);
            List<ConsumerRecord<String, byte[]>> records = reader.drain(Duration.ofMillis(500));
            assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("hanging", "checkout");
            List<ConsumerRecord<String, byte[]>> fromSdk = records.stream().filter(r -> r.key().equals("checkout")).toList();
            assertThat(Spans.spanIds(fromSdk)).hasSize(7).doesNotHaveDuplicates();
        }
        // the hanging request came over HTTP too
        int accepted = transport.equals("http") ? 2007 : 7;
        assertThat(metrics()).contains("nines_collector_spans_total{outcome=\"accepted\",reason=\"none\",transport=\""
                + transport + "\"} " + accepted + ".0");
    }

    private void awaitGauge(String name, double value) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(gauge(name)).as(name).isEqualTo(value));
    }

    private double gauge(String name) throws Exception {
        Matcher matcher = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics());
        assertThat(matcher.find()).as(name + " in /metrics").isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    private String metrics() throws Exception {
        return new TestRequests(collector.metricsPort()).get("/metrics").body();
    }
}
