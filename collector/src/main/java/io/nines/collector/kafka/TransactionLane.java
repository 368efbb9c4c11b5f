package io.nines.collector.kafka;

import io.nines.collector.kafka.GroupCommitter.Meters;
import io.nines.collector.kafka.GroupCommitter.Pending;
import io.nines.collector.pipeline.DeliveryException;
import io.nines.collector.pipeline.DeliveryException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transactional producer and the thread that drives it: takes a group from the {@link GroupCommitter}, writes it
 * in one transaction and answers its requests. When anything fails the transaction is aborted (or the producer
 * replaced, which aborts it at the coordinator) and every request of the group is refused as retryable. A commit
 * whose outcome is unknown (timed out) is retried until Kafka says how it ended, so no answer ever contradicts what
 * readers see.
 */
final class TransactionLane {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionLane.class);

    private final int index;
    private final Supplier<Producer<String, byte[]>> producers;
    private final GroupCommitter groups;
    private final KafkaHealth health;
    private final Duration deliveryTimeout;
    private final Meters meters;
    private final Thread thread;
    private final AtomicReference<Producer<String, byte[]>> current = new AtomicReference<>();
    /** Lane thread only. */
    private boolean initialised;

    TransactionLane(int index, Supplier<Producer<String, byte[]>> producers, GroupCommitter groups, KafkaHealth health,
            Duration deliveryTimeout, Meters meters) {
        this.index = index;
        this.producers = producers;
        this.groups = groups;
        this.health = health;
        this.deliveryTimeout = deliveryTimeout;
        this.meters = meters;
        this.current.set(producers.get());
        this.thread = new Thread(this::run, "collector-kafka-commit-" + index);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (groups.open()) {
            try {
                List<Pending> group = groups.nextGroup();
                if (!group.isEmpty()) {
                    write(group);
                }
            } catch (InterruptedException e) {
                if (!groups.running()) {
                    break;
                }
            } catch (RuntimeException e) {
                LOG.atError().setCause(e).addKeyValue("lane", index).log("Kafka group commit failed unexpectedly");
            }
        }
    }

    private void write(List<Pending> all) {
        // requests that waited longer than the delivery timeout (behind a stuck Kafka) are refused unsent
        List<Pending> group = new ArrayList<>(all.size());
        long now = System.nanoTime();
        for (Pending pending : all) {
            if (now - pending.enqueuedNanos() > deliveryTimeout.toNanos()) {
                pending.done().completeExceptionally(
                        GroupCommitter.unavailable("Kafka did not take the records in time", null));
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
            health.failed(e);
            GroupCommitter.refuse(group,
                    GroupCommitter.unavailable("Kafka did not initialise the transactional producer", e));
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
        meters.committed().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
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
                if (!groups.running()) {
                    throw e;
                }
                // Kafka is stuck: requests queued meanwhile would wait behind it, so refuse them unsent
                List<Pending> waiting = groups.drainQueued();
                GroupCommitter.refuse(waiting, GroupCommitter.unavailable("Kafka did not take the records in time", e));
                LOG.atWarn().addKeyValue("lane", index).addKeyValue("error", e.toString())
                        .addKeyValue("refusedWaiting", waiting.size())
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
        meters.aborts().increment();
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
        GroupCommitter.refuse(group, GroupCommitter.unavailable("Kafka did not commit the records", error));
        LOG.atWarn().addKeyValue("lane", index).addKeyValue("requests", group.size())
                .addKeyValue("error", error.toString())
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
        meters.aborted().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
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

    /** Waits up to {@code nanos} for the lane's thread to end. */
    void awaitStop(long nanos) {
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void interrupt() {
        thread.interrupt();
    }

    void closeProducer(Duration timeout) {
        current.get().close(timeout);
    }
}
