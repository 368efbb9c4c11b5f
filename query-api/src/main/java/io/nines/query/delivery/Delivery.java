package io.nines.query.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.nines.query.alerting.SilenceService;
import io.nines.query.alerting.TargetService;
import io.nines.query.storage.Sql;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Pages that arrive: consumes {@code nines.alerts} in the group {@code nines-delivery} and delivers every firing and
 * resolved transition to the SLO's notification targets, at least once and deduplicated (see {@link AlertConsumer}).
 * Runs on its own threads: one consumer, two routing threads, a retry scheduler and each target's bulkhead.
 */
public final class Delivery implements AutoCloseable {

    private final AlertConsumer consumer;
    private final Thread thread;
    private final ExecutorService routing;
    private final ScheduledExecutorService scheduler;
    private final TargetLanes lanes;

    private Delivery(AlertConsumer consumer, Thread thread, ExecutorService routing,
            ScheduledExecutorService scheduler, TargetLanes lanes) {
        this.consumer = consumer;
        this.thread = thread;
        this.routing = routing;
        this.scheduler = scheduler;
        this.lanes = lanes;
    }

    public static Delivery start(DeliverySettings settings, Sql sql, TargetService targets, SilenceService silences,
            InstantSource clock, MeterRegistry registry) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(named("delivery-retry"));
        ExecutorService routing = Executors.newFixedThreadPool(2, named("delivery-routing"));
        AttemptLog log = new AttemptLog(sql, registry);
        TargetLanes lanes = new TargetLanes(settings, log, clock, scheduler, registry);
        Router router = new Router(targets, silences, log, lanes, clock, routing);
        KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, settings.group(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // A new group starts at the beginning: settled transitions are skipped, none is lost.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "nines-delivery"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        AlertConsumer consumer = new AlertConsumer(kafka, settings.topic(), router, settings.maxInFlight(), clock,
                registry);
        Thread thread = new Thread(consumer, "delivery-consumer");
        thread.setDaemon(true);
        thread.start();
        return new Delivery(consumer, thread, routing, scheduler, lanes);
    }

    @Override
    public void close() {
        consumer.stop();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        routing.shutdownNow();
        lanes.close();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
