package io.nines.infra.demo;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends demo traffic: a small shop's services (checkout, payments, catalog, search) as OpenTelemetry SDKs
 * would, over OTLP/HTTP protobuf, to the collector.
 */
public final class DemoTrafficMain {

    /** A different stream for ids, so that changing how many ids a trace needs leaves latencies as they were. */
    private static final long ID_SEED_SALT = 0x5DEECE66DL;
    private static final Duration FLUSH_EVERY = Duration.ofSeconds(1);

    private DemoTrafficMain() {}

    public static void main(String[] args) throws InterruptedException {
        DemoConfig config;
        Topology topology = Topology.shop();
        try {
            config = DemoConfig.from(args, System.getenv());
            Optional<Incident> incident = config.incident();
            if (incident.isPresent() && !topology.services().contains(incident.get().service())) {
                throw new IllegalArgumentException("incident-service must be one of " + topology.services()
                        + " but was '" + incident.get().service() + "'");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("Demo traffic: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }

        SeededIds ids = new SeededIds(new Random(config.seed() ^ ID_SEED_SALT));
        List<SdkTracerProvider> providers = new ArrayList<>();
        Map<String, Tracer> tracers = new HashMap<>();
        for (String service : topology.services()) {
            SdkTracerProvider provider = SdkTracerProvider.builder()
                    .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                            AttributeKey.stringKey("service.name"), service,
                            AttributeKey.stringKey("service.namespace"), "shop",
                            AttributeKey.stringKey("service.version"), "1.0.0",
                            AttributeKey.stringKey("deployment.environment.name"), "demo"))))
                    .setIdGenerator(ids)
                    .addSpanProcessor(BatchSpanProcessor.builder(
                                    OtlpHttpSpanExporter.builder().setEndpoint(config.tracesUrl().toString()).build())
                            .setScheduleDelay(FLUSH_EVERY)
                            .build())
                    .build();
            providers.add(provider);
            tracers.put(service, provider.get("io.nines.demo"));
        }
        TrafficGenerator generator = new TrafficGenerator(topology, new SpanEmitter(tracers),
                new Random(config.seed()), InstantSource.system(), config.spansPerSecond(), config.incident());

        Thread loop = new Thread(() -> generator.run(config.runFor()), "demo-traffic");
        AtomicBoolean closed = new AtomicBoolean();
        Runnable flushAndClose = () -> {
            if (closed.compareAndSet(false, true)) {
                providers.forEach(SdkTracerProvider::close);
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            generator.stop();
            try {
                loop.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            flushAndClose.run();
        }, "demo-traffic-shutdown"));

        System.out.println("Demo traffic: about " + config.spansPerSecond() + " spans/s from " + topology.services()
                + " to " + config.tracesUrl() + config.incident()
                        .map(i -> ", " + i.service() + " fails " + i.length().toSeconds() + " s of every "
                                + i.every().toMinutes() + " min")
                        .orElse(""));
        loop.start();
        loop.join();
        flushAndClose.run();
    }
}
