package io.nines.collector.pipeline;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where one signal's records go; bound to one destination (a Kafka topic). */
public interface RecordSink {

    /**
     * Completes once the destination durably holds every record, or exceptionally with a
     * {@link DeliveryException} within a bounded time.
     */
    CompletableFuture<Void> send(List<OutboundRecord> records);
}
