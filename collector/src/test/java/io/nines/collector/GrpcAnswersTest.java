package io.nines.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** OTLP/gRPC answers bad input with the status codes OTLP prescribes, and keeps serving. */
@ExtendWith(NinesInfra.class)
class GrpcAnswersTest {

    private final EmbeddedKafka kafka;
    private RunningCollector collector;
    private ManagedChannel channel;

    GrpcAnswersTest(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    @BeforeEach
    void start() throws Exception {
        collector = CollectorMain.start(TestConfigs.collector(kafka.bootstrapServers(), NinesInfra.uniqueName("grpc")));
        channel = GrpcClients.channel(collector.otlpGrpcPort());
    }

    @AfterEach
    void stop() throws Exception {
        GrpcClients.close(channel);
        collector.close();
    }

    @Test
    void answersGarbageWithInvalidArgument() throws Exception {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> GrpcClients.exportRawTraces(channel, new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, 0x0F, 1}));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).startsWith("not a valid export request");
        assertThat(GrpcClients.retryDelay(e)).isEmpty();
        assertStillAccepts();
    }

    @Test
    void answersATruncatedMessageWithInvalidArgument() throws Exception {
        byte[] valid = Spans.request("checkout", 1, 10).toByteArray();

        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> GrpcClients.exportRawTraces(channel, Arrays.copyOf(valid, valid.length - 7)));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertStillAccepts();
    }

    @Test
    void answersAMessageOverTwentyMebibytesWithResourceExhaustedAndNoRetry() throws Exception {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> GrpcClients.exportRawTraces(channel, new byte[21 * 1024 * 1024]));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        // without RetryInfo, OTLP clients must not retry RESOURCE_EXHAUSTED
        assertThat(GrpcClients.retryDelay(e)).isEmpty();
        assertStillAccepts();
    }

    private void assertStillAccepts() throws Exception {
        ManagedChannel fresh = GrpcClients.channel(collector.otlpGrpcPort());
        try {
            byte[] answer = GrpcClients.exportRawTraces(fresh, Spans.request("checkout", 100, 3).toByteArray());
            assertThat(ExportTraceServiceResponse.parseFrom(answer)).isEqualTo(ExportTraceServiceResponse.getDefaultInstance());
        } finally {
            GrpcClients.close(fresh);
        }
    }
}
