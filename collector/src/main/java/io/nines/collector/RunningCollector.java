package io.nines.collector;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started collector. Closing stops the parts in reverse start order: the receivers first, so that no
 * new data comes in, then the producer, which flushes what is in flight.
 */
final class RunningCollector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunningCollector.class);

    private final int otlpHttpPort;
    private final int otlpGrpcPort;
    private final int metricsPort;
    private final Deque<AutoCloseable> parts;

    RunningCollector(int otlpHttpPort, int otlpGrpcPort, int metricsPort, Deque<AutoCloseable> startedLastFirst) {
        this.otlpHttpPort = otlpHttpPort;
        this.otlpGrpcPort = otlpGrpcPort;
        this.metricsPort = metricsPort;
        this.parts = new ArrayDeque<>(startedLastFirst);
    }

    int otlpHttpPort() {
        return otlpHttpPort;
    }

    int otlpGrpcPort() {
        return otlpGrpcPort;
    }

    int metricsPort() {
        return metricsPort;
    }

    @Override
    public synchronized void close() {
        while (!parts.isEmpty()) {
            AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.atWarn().setCause(e).log("A collector part failed to stop");
            }
        }
        LOG.info("Collector stopped");
    }
}
