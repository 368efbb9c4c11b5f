package io.nines.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.Status;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** With {@code --ingest-tokens}, only known tokens may send, at their rate, and their team travels with the data. */
@ExtendWith(NinesInfra.class)
class TokensTest {

    private static final String PAYMENTS = "tok-payments-7f3a9c1e5b";
    private static final String SEARCH = "tok-search-0c4d8e2f6a";
    private static final String PROTOBUF = "application/x-protobuf";

    private final EmbeddedKafka kafka;
    private final String topic = NinesInfra.uniqueName("tokens");
    private RunningCollector collector;
    private TestRequests client;

    TokensTest(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tokens.txt"),
                "# token team spans-per-second\n" + PAYMENTS + " payments 100000\n" + SEARCH + " search 5\n");
        collector = CollectorMain.start(TestConfigs.builder(kafka.bootstrapServers(), topic).tokens(file).build());
        client = new TestRequests(collector.otlpHttpPort());
    }

    @AfterEach
    void stop() {
        collector.close();
    }

    @Test
    void answers401WithoutATokenOrWithAnUnknownOne() throws Exception {
        byte[] body = Spans.request("checkout", 1, 3).toByteArray();

        HttpResponse<byte[]> none = client.post("/v1/traces", PROTOBUF, body);
        HttpResponse<byte[]> unknown = client.post("/v1/traces", PROTOBUF, body, "Authorization", "Bearer guess-guess-guess");
        HttpResponse<byte[]> json = client.post("/v1/logs", "application/json", "{}".getBytes(), "x-nines-token", "nope");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(Status.parseFrom(none.body()).getMessage())
                .isEqualTo("an ingest token is required (Authorization: Bearer <token> or x-nines-token)");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(Status.parseFrom(unknown.body()).getMessage()).isEqualTo("unknown ingest token");
        assertThat(json.statusCode()).isEqualTo(401);
        assertThat(new String(json.body(), StandardCharsets.UTF_8)).contains("\"message\":\"unknown ingest token\"");
    }

    @Test
    void answersUnauthenticatedOverGrpcWithoutAValidToken() throws Exception {
        ManagedChannel channel = GrpcClients.channel(collector.otlpGrpcPort());
        try {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> TraceServiceGrpc.newBlockingStub(channel).export(Spans.request("checkout", 1, 3)));

            assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
            assertThat(e.getStatus().getDescription()).isEqualTo(
                    "an ingest token is required (Authorization: Bearer <token> or x-nines-token)");
        } finally {
            GrpcClients.close(channel);
        }
    }

    @Test
    void writesTheTeamOfTheTokenAsAKafkaHeaderOnEveryRecordFromBothTransports() throws Exception {
        HttpResponse<byte[]> http = client.post("/v1/traces", PROTOBUF,
                TestRequests.twoServices(Spans.request("checkout", 1, 3), Spans.request("cart", 4, 2)).toByteArray(),
                "Authorization", "Bearer " + PAYMENTS);
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-nines-token", Metadata.ASCII_STRING_MARSHALLER), SEARCH);
        ManagedChannel channel = GrpcClients.channel(collector.otlpGrpcPort());
        try {
            TraceServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .export(Spans.request("search", 10, 2));
        } finally {
            GrpcClients.close(channel);
        }

        assertThat(http.statusCode()).isEqualTo(200);
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
            reader.awaitAtLeast(3);
            List<ConsumerRecord<String, byte[]>> records = reader.drain(Duration.ofMillis(300));
            assertThat(records).hasSize(3);
            List<String> teams = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : records) {
                Header team = record.headers().lastHeader("nines-team");
                teams.add(record.key() + "=" + new String(team.value(), StandardCharsets.UTF_8));
            }
            assertThat(teams).containsExactlyInAnyOrder("checkout=payments", "cart=payments", "search=search");
        }
    }

    @Test
    void answers429WithRetryAfterOnceATokensRateIsSpent() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<byte[]> limited = null;
        // 5 spans per second: of quick 5-span requests, at most one per second gets through
        for (int i = 0; i < 20 && limited == null; i++) {
            HttpResponse<byte[]> response = client.post("/v1/traces", PROTOBUF,
                    Spans.request("search", 100L * i, 5).toByteArray(), "x-nines-token", SEARCH);
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                limited = response;
            }
        }

        assertThat(statuses).containsOnly(200, 429).contains(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(Status.parseFrom(limited.body()).getMessage())
                .isEqualTo("the ingest token's rate of items per second is spent");
        assertThat(new TestRequests(collector.metricsPort()).get("/metrics").body())
                .contains("nines_collector_spans_total{outcome=\"refused\",reason=\"rate_limited\",transport=\"http\"} 5.0");

        ManagedChannel channel = GrpcClients.channel(collector.otlpGrpcPort());
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + SEARCH);
        try {
            StatusRuntimeException e = null;
            for (int i = 0; i < 20 && e == null; i++) {
                e = catchThrowableOfType(StatusRuntimeException.class, () -> TraceServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                        .export(Spans.request("search", 5000, 5)));
            }
            assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED);
            assertThat(GrpcClients.retryDelay(e)).contains(Duration.ofSeconds(1));
        } finally {
            GrpcClients.close(channel);
        }
    }
}
