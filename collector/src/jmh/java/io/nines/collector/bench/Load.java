package io.nines.collector.bench;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** Clients that send one prepared request body again and again, and count the answers by kind. */
final class Load {

    /** Sends the body once; returns the answer's kind ("200", "429", "UNAVAILABLE", ...). */
    interface Sender extends AutoCloseable {
        String send() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();

    Map<String, LongAdder> answers() {
        return answers;
    }

    long count(String kind) {
        LongAdder adder = answers.get(kind);
        return adder == null ? 0 : adder.sum();
    }

    void record(String kind) {
        answers.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /** {@code clients} threads, each sending back to back for {@code duration}. */
    static Load closedLoop(int clients, Duration duration, java.util.function.Supplier<Sender> senders)
            throws InterruptedException {
        Load load = new Load();
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + duration.toNanos();
        for (int i = 0; i < clients; i++) {
            threads.submit(() -> {
                try (Sender sender = senders.get()) {
                    while (System.nanoTime() < end) {
                        try {
                            load.record(sender.send());
                        } catch (Exception e) {
                            load.record(e.getClass().getSimpleName());
                        }
                    }
                } catch (Exception e) {
                    load.record("close-" + e.getClass().getSimpleName());
                }
                return null;
            });
        }
        threads.shutdown();
        threads.awaitTermination(duration.toSeconds() + 120, TimeUnit.SECONDS);
        return load;
    }

    static Sender http(HttpClient client, int port, String contentType, byte[] body, boolean expectContinue) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
                .header("Content-Type", contentType).expectContinue(expectContinue)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return () -> Integer.toString(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    static HttpClient httpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    static Sender grpc(int port, byte[] body) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        MethodDescriptor<byte[], byte[]> method = TraceServiceGrpc.getExportMethod().toBuilder(BYTES, BYTES).build();
        return new Sender() {
            @Override
            public String send() {
                try {
                    ClientCalls.blockingUnaryCall(channel, method,
                            CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), body);
                    return "OK";
                } catch (StatusRuntimeException e) {
                    return e.getStatus().getCode().name();
                }
            }

            @Override
            public void close() throws InterruptedException {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        };
    }

    /** The request body travels as prepared bytes, so that client-side serialization does not compete for CPU. */
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
