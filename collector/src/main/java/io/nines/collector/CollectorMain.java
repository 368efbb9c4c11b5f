package io.nines.collector;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nines.collector.admission.Gate;
import io.nines.collector.admission.InflightBudget;
import io.nines.collector.admission.IngestTokens;
import io.nines.collector.grpc.OtlpGrpcReceiver;
import io.nines.collector.kafka.KafkaHealth;
import io.nines.collector.kafka.KafkaPublisher;
import io.nines.collector.otlp.OtlpHttpReceiver;
import io.nines.collector.pipeline.Ingest;
import io.nines.collector.pipeline.Ingests;
import io.nines.collector.telemetry.AdminServer;
import io.nines.collector.telemetry.CollectorMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the collector: OTLP in over gRPC and HTTP, Kafka out, its own metrics on the side. */
public final class CollectorMain {

    private static final Logger LOG = LoggerFactory.getLogger(CollectorMain.class);

    private CollectorMain() {}

    public static void main(String[] args) {
        CollectorConfig config;
        try {
            config = CollectorConfig.from(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("Collector: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        RunningCollector collector;
        try {
            collector = start(config, InstantSource.system());
        } catch (Exception e) {
            LOG.atError().setCause(e).log("Collector failed to start");
            System.err.println("Collector failed to start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(collector::close, "collector-shutdown"));
        System.out.println("Collector ready: OTLP/HTTP on http://" + config.otlpHttpHost() + ":"
                + collector.otlpHttpPort() + ", OTLP/gRPC on " + config.otlpGrpcHost() + ":" + collector.otlpGrpcPort()
                + ", metrics on http://" + config.metricsHost() + ":" + collector.metricsPort() + "/metrics");
    }

    static RunningCollector start(CollectorConfig config) throws IOException {
        return start(config, InstantSource.system());
    }

    /** Builds and starts every part; if one fails, those already started are stopped again. */
    static RunningCollector start(CollectorConfig config, InstantSource clock) throws IOException {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            Optional<IngestTokens> tokens = loadTokens(config.ingestTokens());
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(registry);
            started.push(gc);
            started.push(registry::close);
            CollectorMetrics metrics = new CollectorMetrics(registry);

            KafkaHealth health = KafkaHealth.start(config.kafkaBootstrap(), config.kafkaProbeInterval(), clock, registry);
            started.push(health);
            KafkaPublisher kafka = KafkaPublisher.open(config.producer(), transactionalId(config), health, registry);
            started.push(kafka);
            Ingests ingests = new Ingests(
                    Ingest.traces(clock, config.maxFutureSkew(), config.maxRecordBytes(),
                            kafka.sinkFor(config.spansTopic())),
                    Ingest.metrics(clock, config.maxFutureSkew(), config.maxRecordBytes(),
                            kafka.sinkFor(config.metricsTopic())),
                    Ingest.logs(clock, config.maxFutureSkew(), config.maxRecordBytes(),
                            kafka.sinkFor(config.logsTopic())));
            Gate gate = new Gate(tokens, health::accepting,
                    new InflightBudget(config.inflightBytes(), config.inflightRequests(), registry), config.retryAfter());

            OtlpHttpReceiver http = OtlpHttpReceiver.start(config.httpReceiver(), ingests, gate, metrics);
            started.push(http);
            OtlpGrpcReceiver grpc = OtlpGrpcReceiver.start(config.grpcReceiver(), ingests, gate, metrics);
            started.push(grpc);
            AdminServer admin = AdminServer.start(config.metricsHost(), config.metricsPort(), registry, health::ready);
            started.push(admin);
            LOG.atInfo().addKeyValue("otlpHttpPort", http.port()).addKeyValue("otlpGrpcPort", grpc.port())
                    .addKeyValue("metricsPort", admin.port()).addKeyValue("spansTopic", config.spansTopic())
                    .addKeyValue("metricsTopic", config.metricsTopic()).addKeyValue("logsTopic", config.logsTopic())
                    .addKeyValue("ingestTokens", tokens.map(IngestTokens::size).orElse(0))
                    .log("Collector started");
            return new RunningCollector(http.port(), grpc.port(), admin.port(), started);
        } catch (IOException | RuntimeException e) {
            new RunningCollector(-1, -1, -1, started).close();
            throw e;
        }
    }

    /**
     * {@code --kafka-transactional-id}, else {@code nines-collector-<host>-<otlp-grpc-port>}: the prefix of the
     * producers' ids, stable across restarts of one instance, so that a restarted collector fences its predecessor's
     * producers. With port 0 (tests) no two instances may share it, so a random suffix makes it unique.
     */
    private static String transactionalId(CollectorConfig config) {
        if (config.kafkaTransactionalId().isPresent()) {
            return config.kafkaTransactionalId().get();
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return "nines-collector-" + host + "-" + (config.otlpGrpcPort() == 0
                ? "0-" + java.util.UUID.randomUUID() : Integer.toString(config.otlpGrpcPort()));
    }

    private static Optional<IngestTokens> loadTokens(Optional<Path> file) throws IOException {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(IngestTokens.load(file.get()));
        } catch (IOException e) {
            throw new IOException("cannot read the ingest tokens file " + file.get() + ": " + e.getMessage(), e);
        }
    }
}
