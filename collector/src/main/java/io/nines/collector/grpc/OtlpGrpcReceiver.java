package io.nines.collector.grpc;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.nines.collector.admission.Gate;
import io.nines.collector.otlp.OtlpResponses;
import io.nines.collector.pipeline.Ingest;
import io.nines.collector.pipeline.IngestResult;
import io.nines.collector.pipeline.Ingests;
import io.nines.collector.pipeline.Signal;
import io.nines.collector.telemetry.CollectorMetrics;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/gRPC: the TraceService, MetricsService and LogsService of opentelemetry-proto, on grpc-java's Netty
 * server. Each service's {@code Export} method keeps its name and response type; requests arrive as bytes
 * ({@link RawBytes}). Memory held by calls that have not reached the handler is bounded by HTTP/2 flow
 * control (one window per stream) and the concurrent calls per connection.
 */
public final class OtlpGrpcReceiver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OtlpGrpcReceiver.class);
    private static final String TRANSPORT = "grpc";
    private static final int MAX_CALLS_PER_CONNECTION = 64;
    private static final int SHUTDOWN_SECONDS = 5;

    private final Server server;
    private final ExecutorService executor;

    private OtlpGrpcReceiver(Server server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds and serves; fails loudly when the port cannot be had. */
    public static OtlpGrpcReceiver start(GrpcReceiverSettings settings, Ingests ingests, Gate gate,
            CollectorMetrics metrics) throws IOException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(ingests, "ingests");
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        ExecutorService executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "otlp-grpc");
            thread.setDaemon(true);
            return thread;
        });
        TokenInterceptor tokens = new TokenInterceptor();
        for (Signal signal : Signal.values()) {
            metrics.register(signal, TRANSPORT);
        }
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(settings.host(), settings.port()))
                .maxInboundMessageSize(settings.maxMessageBytes())
                .maxConcurrentCallsPerConnection(MAX_CALLS_PER_CONNECTION)
                .executor(executor)
                .addService(ServerInterceptors.intercept(service(TraceServiceGrpc.getExportMethod(),
                        TraceServiceGrpc.SERVICE_NAME, ingests.traces(),
                        OtlpResponses::traces, gate, metrics, executor), tokens))
                .addService(ServerInterceptors.intercept(service(MetricsServiceGrpc.getExportMethod(),
                        MetricsServiceGrpc.SERVICE_NAME, ingests.metrics(),
                        OtlpResponses::metrics, gate, metrics, executor), tokens))
                .addService(ServerInterceptors.intercept(service(LogsServiceGrpc.getExportMethod(),
                        LogsServiceGrpc.SERVICE_NAME, ingests.logs(),
                        OtlpResponses::logs, gate, metrics, executor), tokens))
                .build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            throw new IOException("cannot listen for OTLP/gRPC on " + settings.host() + ":" + settings.port()
                    + ": " + e.getMessage(), e);
        }
        LOG.atInfo().addKeyValue("host", settings.host()).addKeyValue("port", server.getPort())
                .log("OTLP/gRPC receiver listening");
        return new OtlpGrpcReceiver(server, executor);
    }

    /** The generated service's one method, taking bytes in and giving the generated response type out. */
    private static <Q extends Message, R extends Message, S extends Message> ServerServiceDefinition service(
            MethodDescriptor<Q, S> generated, String serviceName, Ingest<R> ingest,
            Function<IngestResult, S> response, Gate gate, CollectorMetrics metrics,
            ExecutorService executor) {
        MethodDescriptor<byte[], S> method = generated.toBuilder(new RawBytes(), generated.getResponseMarshaller())
                .build();
        GrpcExport<R, S> export = new GrpcExport<>(ingest, response, gate, metrics, executor);
        return ServerServiceDefinition.builder(serviceName)
                .addMethod(method, ServerCalls.asyncUnaryCall(export))
                .build();
    }

    public int port() {
        return server.getPort();
    }

    /** Stops taking calls and gives those in flight a few seconds to be answered. */
    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        executor.shutdownNow();
    }
}
