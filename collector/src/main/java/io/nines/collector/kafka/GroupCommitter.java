package io.nines.collector.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nines.collector.pipeline.DeliveryException;
import io.nines.collector.pipeline.DeliveryException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes the records of concurrently arriving requests in Kafka transactions, in groups: a request is acknowledged
 * only once the transaction holding its records committed, and refused as retryable when it was aborted, so
 * {@code read_committed} readers never see a refused request's records.
 *
 * <p>A producer can have only one transaction open, and a commit is a round trip to the transaction coordinator
 * plus markers on every partition written. So that the next group need not wait for it, there are several
 * {@link TransactionLane lanes}, each a transactional producer with its own {@code transactional.id} and thread:
 * while one lane commits group N, the next gathers group N+1 and sends it. One lane gathers at a time, so groups
 * form in arrival order and an idle lane never splits a group that is still forming. A group closes when
 * {@link #MAX_GROUP_BYTES} are reached, when {@link #WINDOW} has passed since its first request, or, once it holds
 * everything already queued, as soon as another lane is idle and waiting to gather: under light load a request
 * goes at once, under load groups grow with the time commits take. Records of one request travel in one
 * transaction, in order.
 */
final class GroupCommitter implements AutoCloseable {

    /** The longest the first request of a group waits for others while every other lane is busy. */
    static final Duration WINDOW = Duration.ofMillis(5);
    /** Record bytes beyond which a group is closed early. */
    static final long MAX_GROUP_BYTES = 8L * 1024 * 1024;
    private static final long IDLE_POLL_MS = 100;

    /** One request's records, bound for one topic. */
    record Pending(List<ProducerRecord<String, byte[]>> records, long bytes, long enqueuedNanos,
            CompletableFuture<Void> done) {
    }

    /** The meters every lane records to. */
    record Meters(Timer committed, Timer aborted, Counter aborts) {

        static Meters register(MeterRegistry registry) {
            String description = "From beginning a group's transaction until Kafka committed or it was aborted";
            return new Meters(
                    Timer.builder("nines.collector.kafka.transaction").description(description)
                            .tags("outcome", "committed").publishPercentileHistogram().register(registry),
                    Timer.builder("nines.collector.kafka.transaction").description(description)
                            .tags("outcome", "aborted").publishPercentileHistogram().register(registry),
                    Counter.builder("nines.collector.kafka.transaction.aborts")
                            .description("Groups whose transaction was aborted; their requests were refused as retryable")
                            .register(registry));
        }
    }

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    /** Held by the one lane that is gathering; lanes waiting for it are idle. */
    private final ReentrantLock gathering = new ReentrantLock();
    private final List<TransactionLane> lanes;
    private final Duration deliveryTimeout;
    private volatile boolean running = true;

    /**
     * @param producers a fresh producer for lane {@code i} (0-based) each time it is called; each lane needs its own
     *                  {@code transactional.id}, stable across calls, so that a replacement fences its predecessor
     * @param laneCount how many transactions may be open at once
     */
    GroupCommitter(IntFunction<Producer<String, byte[]>> producers, int laneCount, KafkaHealth health,
            Duration deliveryTimeout, MeterRegistry registry) {
        if (laneCount < 1) {
            throw new IllegalArgumentException("laneCount must be positive but was " + laneCount);
        }
        this.deliveryTimeout = deliveryTimeout;
        Meters meters = Meters.register(registry);
        List<TransactionLane> created = new ArrayList<>(laneCount);
        for (int i = 0; i < laneCount; i++) {
            int lane = i;
            Supplier<Producer<String, byte[]>> laneProducers = () -> producers.apply(lane);
            created.add(new TransactionLane(lane, laneProducers, this, health, deliveryTimeout, meters));
        }
        this.lanes = List.copyOf(created);
    }

    void start() {
        lanes.forEach(TransactionLane::start);
    }

    CompletableFuture<Void> submit(List<ProducerRecord<String, byte[]>> records, long bytes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(unavailable("the collector is stopping", null));
            return done;
        }
        queue.add(new Pending(records, bytes, System.nanoTime(), done));
        return done;
    }

    /** Whether lanes should keep taking groups: until closed, and then until the queue is empty. */
    boolean open() {
        return running || !queue.isEmpty();
    }

    boolean running() {
        return running;
    }

    /** The next group, gathered by one lane at a time; empty when nothing arrived for a while. */
    List<Pending> nextGroup() throws InterruptedException {
        gathering.lockInterruptibly();
        try {
            return gather();
        } finally {
            gathering.unlock();
        }
    }

    private List<Pending> gather() throws InterruptedException {
        Pending first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
        if (first == null) {
            return List.of();
        }
        List<Pending> group = new ArrayList<>();
        group.add(first);
        long bytes = first.bytes();
        long deadline = System.nanoTime() + WINDOW.toNanos();
        while (bytes < MAX_GROUP_BYTES) {
            Pending next = queue.poll();
            if (next == null) {
                long left = deadline - System.nanoTime();
                // an idle lane can take what comes next without delay: waiting would only add latency
                if (left <= 0 || gathering.hasQueuedThreads()) {
                    break;
                }
                next = queue.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                if (next == null) {
                    continue;
                }
            }
            group.add(next);
            bytes += next.bytes();
        }
        return group;
    }

    /** Takes every request still queued, for a lane that must refuse them. */
    List<Pending> drainQueued() {
        List<Pending> waiting = new ArrayList<>();
        queue.drainTo(waiting);
        return waiting;
    }

    static void refuse(List<Pending> group, DeliveryException error) {
        for (Pending pending : group) {
            pending.done().completeExceptionally(error);
        }
    }

    static DeliveryException unavailable(String what, Throwable cause) {
        return new DeliveryException(Reason.UNAVAILABLE, what + (cause == null ? "" : ": " + cause), cause);
    }

    /**
     * Lets the lanes write what is queued, together bounded by the delivery timeout, refuses what is left and closes
     * the producers.
     */
    @Override
    public void close() {
        running = false;
        long deadline = System.nanoTime() + deliveryTimeout.toNanos();
        for (TransactionLane lane : lanes) {
            lane.awaitStop(Math.max(0, deadline - System.nanoTime()));
        }
        lanes.forEach(TransactionLane::interrupt);
        for (TransactionLane lane : lanes) {
            lane.awaitStop(TimeUnit.SECONDS.toNanos(1));
        }
        refuse(drainQueued(), unavailable("the collector is stopping", null));
        long closeDeadline = System.nanoTime() + deliveryTimeout.toNanos();
        for (TransactionLane lane : lanes) {
            lane.closeProducer(Duration.ofNanos(Math.max(0, closeDeadline - System.nanoTime())));
        }
    }
}
