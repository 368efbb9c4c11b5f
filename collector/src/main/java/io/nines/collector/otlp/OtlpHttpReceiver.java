package io.nines.collector.otlp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.nines.collector.admission.Gate;
import io.nines.collector.pipeline.Ingests;
import io.nines.collector.telemetry.CollectorMetrics;
import io.nines.collector.telemetry.Refusal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP on one port: {@code POST /v1/traces}, {@code /v1/metrics} and {@code /v1/logs}, protobuf or JSON,
 * over HTTP/1.1 and cleartext HTTP/2 (h2c, by upgrade or prior knowledge).
 */
public final class OtlpHttpReceiver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OtlpHttpReceiver.class);
    private static final String TRANSPORT = "http";
    private static final int MAX_THREADS = 64;
    private static final int MIN_THREADS = 4;

    private final Javalin server;

    private OtlpHttpReceiver(Javalin server) {
        this.server = server;
    }

    /** Binds and serves; fails loudly when the port cannot be had. */
    public static OtlpHttpReceiver start(HttpReceiverSettings settings, Ingests ingests, Gate gate,
            CollectorMetrics metrics) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(ingests, "ingests");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(metrics, "metrics");
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        threads.setName("otlp-http");
        OtlpJson json = new OtlpJson();
        Answers answers = new Answers(new ObjectMapper(), json);
        BodyReader bodyReader = new BodyReader(settings.maxBodyBytes());
        List<ExportEndpoint<?>> endpoints = List.of(
                new ExportEndpoint<>(ingests.traces(), ExportTraceServiceRequest::newBuilder, gate, bodyReader, json,
                        metrics, answers, threads),
                new ExportEndpoint<>(ingests.metrics(), ExportMetricsServiceRequest::newBuilder, gate, bodyReader, json,
                        metrics, answers, threads),
                new ExportEndpoint<>(ingests.logs(), ExportLogsServiceRequest::newBuilder, gate, bodyReader, json,
                        metrics, answers, threads));
        endpoints.forEach(endpoint -> metrics.register(endpoint.signal(), TRANSPORT));
        Javalin server = Javalin.create(cfg -> configure(cfg, settings, threads, endpoints, metrics, answers));
        server.start();
        LOG.atInfo().addKeyValue("host", settings.host()).addKeyValue("port", server.port())
                .log("OTLP/HTTP receiver listening");
        return new OtlpHttpReceiver(server);
    }

    private static void configure(JavalinConfig cfg, HttpReceiverSettings settings, QueuedThreadPool threads,
            List<ExportEndpoint<?>> endpoints, CollectorMetrics metrics, Answers answers) {
        cfg.startup.showJavalinBanner = false;
        cfg.jetty.threadPool = threads;
        cfg.jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http),
                    new HTTP2CServerConnectionFactory(http));
            connector.setHost(settings.host());
            connector.setPort(settings.port());
            return connector;
        });
        cfg.http.prefer405over404 = true;
        endpoints.forEach(endpoint -> cfg.routes.post(endpoint.path(), endpoint));
        cfg.routes.error(404, ctx -> {
            metrics.refusedOther(TRANSPORT, Refusal.NOT_FOUND);
            answers.problem(ctx, 404, "Not Found", "no OTLP endpoint at " + ctx.path()
                    + "; OTLP/HTTP takes POST /v1/traces, /v1/metrics and /v1/logs");
        });
        cfg.routes.error(405, ctx -> {
            metrics.refusedOther(TRANSPORT, Refusal.METHOD_NOT_ALLOWED);
            ctx.header("Allow", "POST");
            answers.problem(ctx, 405, "Method Not Allowed", "OTLP/HTTP takes POST but got " + ctx.method());
        });
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            metrics.refusedOther(TRANSPORT, Refusal.INTERNAL_ERROR);
            LOG.atError().setCause(e).addKeyValue("path", ctx.path()).log("Request failed unexpectedly");
            answers.problem(ctx, 500, "Internal Server Error", "the collector failed on this request");
        });
    }

    public int port() {
        return server.port();
    }

    /** Stops taking requests; requests in flight get their answer first. */
    @Override
    public void close() {
        server.stop();
    }
}
