package io.nines.collector;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Collector settings for in-process tests: free ports, short Kafka timeouts, the rest as documented. */
final class TestConfigs {

    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(3);
    static final Duration RETRY_AFTER = Duration.ofSeconds(7);
    static final Duration PROBE_INTERVAL = Duration.ofMillis(500);

    private TestConfigs() {}

    static CollectorConfig collector(String bootstrap, String spansTopic) {
        return builder(bootstrap, spansTopic).build();
    }

    /** Metrics and logs go to {@code <spansTopic>_metrics} and {@code <spansTopic>_logs}. */
    static Builder builder(String bootstrap, String spansTopic) {
        return new Builder(bootstrap, spansTopic);
    }

    static final class Builder {
        private final String bootstrap;
        private final String spansTopic;
        private int maxBodyBytes = CollectorConfig.DEFAULT_MAX_BODY_BYTES;
        private long inflightBytes = CollectorConfig.DEFAULT_INFLIGHT_BYTES;
        private int inflightRequests = CollectorConfig.DEFAULT_INFLIGHT_REQUESTS;
        private Optional<Path> tokens = Optional.empty();

        private Builder(String bootstrap, String spansTopic) {
            this.bootstrap = bootstrap;
            this.spansTopic = spansTopic;
        }

        Builder maxBodyBytes(int bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        Builder inflight(long bytes, int requests) {
            this.inflightBytes = bytes;
            this.inflightRequests = requests;
            return this;
        }

        Builder tokens(Path file) {
            this.tokens = Optional.of(file);
            return this;
        }

        CollectorConfig build() {
            return new CollectorConfig("127.0.0.1", 0, "127.0.0.1", 0, "127.0.0.1", 0, bootstrap, spansTopic,
                    spansTopic + "_metrics", spansTopic + "_logs", maxBodyBytes,
                    CollectorConfig.DEFAULT_MAX_RECORD_BYTES, CollectorConfig.DEFAULT_KAFKA_COMPRESSION, DELIVERY_TIMEOUT, RETRY_AFTER, PROBE_INTERVAL,
                    inflightBytes, inflightRequests, CollectorConfig.DEFAULT_MAX_FUTURE_SKEW, tokens,
                    Optional.empty(), CollectorConfig.DEFAULT_KAFKA_PRODUCERS);
        }
    }
}
