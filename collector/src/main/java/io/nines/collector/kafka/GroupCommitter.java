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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the records of concurrently arriving requests in Kafka transactions, one group at a time: gathers what
 * arrives within {@link #WINDOW} (or up to {@link #MAX_GROUP_BYTES}), sends it inside one transaction and commits;
 * only then is every request of the group acknowledged. When anything fails the transaction is aborted (or the
 * producer replaced, which aborts it at the coordinator) and every request of the group is refused as retryable:
 * {@code read_committed} readers never see a refused request's records. A commit whose outcome is unknown (timed
 * out) is retried until Kafka says how it ended, so no answer ever contradicts what readers see.
 */
final class GroupCommitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
    /** How long the first request of a group waits for others; about the old linger. */
    static final Duration WINDOW = Duration.ofMillis(5);
    /** Record bytes beyond which a group is closed early. */
    static final long MAX_GROUP_BYTES = 8L * 1024 * 1024;

    /** One request's records, bound for one topic. */
    record Pending(List<ProducerRecord<String, byte[]>> records, long bytes, long enqueuedNanos,
            CompletableFuture<Void> done) {
    }

    private final Supplier<Producer<String, byte[]>> producers;
    private final KafkaHealth health;
    private final Duration deliveryTimeout;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread loop;
    private final Timer committed;
    private final Timer abortedTimer;
    private final Counter aborts;
    private final AtomicReference<Producer<String, byte[]>> current = new AtomicReference<>();
    private volatile boolean running = true;
    /** Loop thread only. */
    private boolean initialised;

    GroupCommitter(Supplier<Producer<String, byte[]>> producers, KafkaHealth health, Duration deliveryTimeout,
            MeterRegistry registry) {
        this.producers = producers;
        this.health = health;
        this.deliveryTimeout = deliveryTimeout;
        this.committed = Timer.builder("nines.collector.kafka.transaction")
                .description("From beginning a group's transaction until Kafka committed or it was aborted")
                .tags("outcome", "committed").publishPercentileHistogram().register(registry);
        this.abortedTimer = Timer.builder("nines.collector.kafka.transaction")
                .description("From beginning a group's transaction until Kafka committed or it was aborted")
                .tags("outcome", "aborted").publishPercentileHistogram().register(registry);
        this.aborts = Counter.builder("nines.collector.kafka.transaction.aborts")
                .description("Groups whose transaction was aborted; their requests were refused as retryable")
                .register(registry);
        current.set(producers.get());
        this.loop = new Thread(this::run, "collector-kafka-commit");
        this.loop.setDaemon(true);
    }

    /** The producer in use, for its client metrics. */
    Producer<String, byte[]> producer() {
        return current.get();
    }

    void start() {
        loop.start();
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

    private void run() {
        while (running || !queue.isEmpty()) {
            try {
                List<Pending> group = gather();
                if (!group.isEmpty()) {
                    write(group);
                }
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException e) {
                LOG.atError().setCause(e).log("Kafka group commit failed unexpectedly");
            }
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        refuse(left, unavailable("the collector is stopping", null));
    }

    private List<Pending> gather() throws InterruptedException {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return List.of();
        }
        List<Pending> group = new ArrayList<>();
        group.add(first);
        long bytes = first.bytes();
        long deadline = System.nanoTime() + WINDOW.toNanos();
        while (bytes < MAX_GROUP_BYTES) {
            long left = deadline - System.nanoTime();
            Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                break;
            }
            group.add(next);
            bytes += next.bytes();
        }
        return group;
    }

    private void write(List<Pending> all) {
        // requests that waited longer than the delivery timeout (behind a stuck Kafka) are refused unsent
        List<Pending> group = new ArrayList<>(all.size());
        long now = System.nanoTime();
        for (Pending pending : all) {
            if (now - pending.enqueuedNanos() > deliveryTimeout.toNanos()) {
                pending.done().completeExceptionally(unavailable("Kafka did not take the records in time", null));
            } else {
                group.add(pending);
            }
        }
        if (group.isEmpty()) {
            return;
        }
        Producer<String, byte[]> producer = current.get();
        try {
            if (!initialised) {
                producer.initTransactions();
                initialised = true;
            }
        } catch (RuntimeException e) {
            failed(group, e, System.nanoTime());
            if (!(e instanceof TimeoutException)) {
                replaceProducer();
            }
            return;
        }
        long started = System.nanoTime();
        List<AtomicReference<Exception>> tooLarge = new ArrayList<>(group.size());
        try {
            producer.beginTransaction();
            for (Pending pending : group) {
                AtomicReference<Exception> error = new AtomicReference<>();
                tooLarge.add(error);
                for (ProducerRecord<String, byte[]> record : pending.records()) {
                    producer.send(record, (metadata, e) -> {
                        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                            if (cause instanceof RecordTooLargeException) {
                                error.set((Exception) cause);
                                break;
                            }
                        }
                    });
                }
            }
        } catch (RuntimeException e) {
            // a send after an earlier record's failure throws: the transaction is already doomed
            abort(producer, group, e, started, tooLarge);
            return;
        }
        try {
            commitResolvingTimeouts(producer);
        } catch (RuntimeException e) {
            abort(producer, group, e, started, tooLarge);
            return;
        }
        committed.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        health.delivered();
        for (Pending pending : group) {
            pending.done().complete(null);
        }
    }

    /**
     * A timed-out commit may have reached the coordinator: retry it (Kafka allows only that) until it ends one way
     * or the other, so that the group's answer is the truth. Its requests wait for Kafka to return; their bytes
     * stay in the in-flight budget, so memory stays bounded.
     */
    private void commitResolvingTimeouts(Producer<String, byte[]> producer) {
        while (true) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                health.failed(e);
                if (!running) {
                    throw e;
                }
                // requests queued meanwhile were not sent: refuse them rather than keep them waiting with this group
                List<Pending> waiting = new ArrayList<>();
                queue.drainTo(waiting);
                refuse(waiting, unavailable("Kafka did not take the records in time", e));
                LOG.atWarn().addKeyValue("error", e.toString()).addKeyValue("refusedWaiting", waiting.size())
                        .log("Kafka commit in doubt: holding its group's answers and retrying it");
            }
        }
    }

    /**
     * The transaction can no longer commit (its commit was never sent, or was refused): the group is answered at
     * once, then the transaction is aborted, or the producer replaced, which aborts it at the coordinator. Until the
     * abort marker is written read_committed readers wait at the transaction's first offset; they never see it.
     */
    private void abort(Producer<String, byte[]> producer, List<Pending> group, RuntimeException error, long started,
            List<AtomicReference<Exception>> tooLarge) {
        aborts.increment();
        boolean anyTooLarge = false;
        for (int i = 0; i < group.size(); i++) {
            Exception large = i < tooLarge.size() ? tooLarge.get(i).get() : null;
            if (large != null) {
                anyTooLarge = true;
                group.get(i).done().completeExceptionally(new DeliveryException(Reason.RECORD_TOO_LARGE,
                        "Kafka refused a record as too large: " + large.getMessage(), large));
            }
        }
        if (!anyTooLarge) {
            health.failed(error);
        }
        refuse(group, unavailable("Kafka did not commit the records", error));
        LOG.atWarn().addKeyValue("requests", group.size()).addKeyValue("error", error.toString())
                .log("Kafka transaction aborted: its requests are refused as retryable");
        boolean fatal = error instanceof ProducerFencedException || error instanceof OutOfOrderSequenceException
                || error instanceof AuthorizationException || error instanceof UnsupportedVersionException
                || error instanceof TimeoutException;
        if (!fatal) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException e) {
                fatal = true;
            }
        }
        if (fatal) {
            // a new producer with the same transactional.id fences this one and aborts its transaction
            replaceProducer();
        }
        abortedTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private void failed(List<Pending> group, RuntimeException error, long started) {
        health.failed(error);
        refuse(group, unavailable("Kafka did not initialise the transactional producer", error));
    }

    private void replaceProducer() {
        Producer<String, byte[]> old = current.get();
        try {
            old.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.atDebug().setCause(e).log("closing the old producer failed");
        }
        current.set(producers.get());
        initialised = false;
    }

    private static void refuse(List<Pending> group, DeliveryException error) {
        for (Pending pending : group) {
            pending.done().completeExceptionally(error);
        }
    }

    private static DeliveryException unavailable(String what, Throwable cause) {
        return new DeliveryException(Reason.UNAVAILABLE, what + (cause == null ? "" : ": " + cause), cause);
    }

    /** Lets the loop write what is queued, bounded by {@code timeout}, then closes the producer. */
    @Override
    public void close() {
        running = false;
        try {
            loop.join(deliveryTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.interrupt();
        try {
            loop.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        current.get().close(deliveryTimeout);
    }
}
