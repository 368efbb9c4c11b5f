package io.nines.query.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nines.core.alerting.AlertTransition;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop. Each record starts its deliveries and is remembered with its offset; an offset is committed only
 * when it and every record before it in its partition have their outcomes recorded. So a crash or restart redelivers
 * exactly the records whose outcome may be missing, and {@link AttemptLog#settled} keeps the settled ones from being
 * sent twice. Deliveries run elsewhere: the loop never waits for a target, and pauses when too many are in flight.
 */
final class AlertConsumer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** How long a stopping consumer waits for deliveries in flight before it leaves them to its successor. */
    private static final Duration DRAIN = Duration.ofSeconds(5);
    /** How long a partition rests after a rewind, so a store that is down is not asked again and again at once. */
    private static final Duration REWIND_PAUSE = Duration.ofSeconds(2);

    private record Pending(long offset, CompletableFuture<Void> outcome) {}

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Router router;
    private final int maxInFlight;
    private final Counter undecodable;
    private final InstantSource clock;
    private final Map<TopicPartition, Deque<Pending>> pending = new HashMap<>();
    private final Map<TopicPartition, Instant> resting = new HashMap<>();
    private volatile boolean running = true;

    AlertConsumer(Consumer<byte[], byte[]> consumer, String topic, Router router, int maxInFlight,
            InstantSource clock, MeterRegistry registry) {
        this.consumer = consumer;
        this.clock = clock;
        this.topic = topic;
        this.router = router;
        this.maxInFlight = maxInFlight;
        this.undecodable = Counter.builder("nines.delivery.undecodable.transitions")
                .description("records on the alerts topic that are not alert transitions").register(registry);
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commitSettled();
                    partitions.forEach(pending::remove);
                    partitions.forEach(resting::remove);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
            });
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    pending.computeIfAbsent(new TopicPartition(record.topic(), record.partition()),
                            tp -> new ArrayDeque<>()).add(new Pending(record.offset(), dispatch(record)));
                }
                commitSettled();
                throttle();
            }
        } catch (WakeupException e) {
            // close() woke the poll: stop below
        } catch (RuntimeException e) {
            LOG.error("the alert delivery consumer stopped: {}", e.getMessage(), e);
        } finally {
            drain();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }

    private CompletableFuture<Void> dispatch(ConsumerRecord<byte[], byte[]> record) {
        AlertTransition transition;
        try {
            transition = AlertTransition.fromJson(record.value());
        } catch (RuntimeException e) {
            undecodable.increment();
            LOG.warn("skipping record {}-{}@{}: not an alert transition: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        try {
            return router.route(transition);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Commits each partition up to its first unsettled record; rewinds to a record whose outcome was not recorded. */
    private void commitSettled() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        pending.forEach((partition, queue) -> {
            while (!queue.isEmpty() && queue.peek().outcome().isDone()) {
                Pending head = queue.poll();
                if (head.outcome().isCompletedExceptionally()) {
                    LOG.warn("the outcome of {}@{} was not recorded; it will be delivered again (deduplicated): {}",
                            partition, head.offset(), failure(head.outcome()));
                    consumer.seek(partition, head.offset());
                    consumer.pause(List.of(partition));
                    resting.put(partition, clock.instant().plus(REWIND_PAUSE));
                    queue.clear();
                    break;
                }
                offsets.put(partition, new OffsetAndMetadata(head.offset() + 1));
            }
        });
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    private void throttle() {
        Instant now = clock.instant();
        resting.values().removeIf(until -> !now.isBefore(until));
        int inFlight = pending.values().stream().mapToInt(Deque::size).sum();
        if (inFlight >= maxInFlight) {
            consumer.pause(consumer.assignment());
            return;
        }
        List<TopicPartition> rested = consumer.paused().stream().filter(p -> !resting.containsKey(p)).toList();
        if (!rested.isEmpty()) {
            consumer.resume(rested);
        }
    }

    private void drain() {
        CompletableFuture<?>[] all = pending.values().stream().flatMap(Deque::stream).map(Pending::outcome)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(all).get(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.info("stopping with deliveries unsettled; the next consumer redelivers them");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            commitSettled();
        } catch (RuntimeException e) {
            LOG.warn("committing settled offsets at stop failed: {}", e.getMessage());
        }
    }

    private static String failure(CompletableFuture<Void> outcome) {
        try {
            outcome.join();
            return "";
        } catch (RuntimeException e) {
            return e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
        }
    }
}
