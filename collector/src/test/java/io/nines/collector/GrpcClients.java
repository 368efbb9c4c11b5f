package io.nines.collector;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Plain grpc-java clients of the collector, for answers an SDK exporter would hide behind retries. */
final class GrpcClients {

    private GrpcClients() {}

    static ManagedChannel channel(int port) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024).build();
    }

    static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** TraceService/Export with whatever bytes the test wants to send. */
    static byte[] exportRawTraces(ManagedChannel channel, byte[] body) {
        MethodDescriptor<byte[], byte[]> method = TraceServiceGrpc.getExportMethod().toBuilder(BYTES, BYTES).build();
        return ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                body);
    }

    /** The RetryInfo detail of a failed call, if it carries one. */
    static Optional<Duration> retryDelay(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status == null) {
            return Optional.empty();
        }
        return status.getDetailsList().stream().filter(any -> any.is(RetryInfo.class)).findFirst().map(any -> {
            try {
                com.google.protobuf.Duration delay = any.unpack(RetryInfo.class).getRetryDelay();
                return Duration.ofSeconds(delay.getSeconds(), delay.getNanos());
            } catch (InvalidProtocolBufferException ex) {
                throw new AssertionError(ex);
            }
        });
    }

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
}
