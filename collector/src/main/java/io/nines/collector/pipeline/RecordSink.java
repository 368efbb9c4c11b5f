package io.nines.collector.pipeline;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Where one signal's records go; bound to one destination (a Kafka topic). */
public interface RecordSink {

    /**
     * Completes once the destination durably holds every record, or exceptionally with a
     * {@link DeliveryException} within a bounded time.
     *
     * @param headers added to every record (the ingest token's team, when tokens are on)
     */
    CompletableFuture<Void> send(List<OutboundRecord> records, Map<String, String> headers);
}
