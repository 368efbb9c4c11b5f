package io.nines.infra.testing;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A deployable in a child JVM that keeps its data directory across restarts: what lets an outage test stop
 * Kafka or ClickHouse and bring the same one back. {@link #close()} stops it for good and deletes the data.
 */
final class RestartableChild implements AutoCloseable {

    private final String name;
    private final ChildJvm.Builder launch;
    private final Path dataDir;
    private ChildJvm child;

    private RestartableChild(String name, ChildJvm.Builder launch, Path dataDir) {
        this.name = name;
        this.launch = launch;
        this.dataDir = dataDir;
    }

    /** Starts the child and returns once it is ready; on failure its data directory is deleted again. */
    static RestartableChild started(String name, ChildJvm.Builder launch, Path dataDir) {
        RestartableChild restartable = new RestartableChild(name, launch, dataDir);
        try {
            restartable.start();
        } catch (RuntimeException | Error e) {
            TempDirs.delete(dataDir);
            throw e;
        }
        return restartable;
    }

    Path dataDir() {
        return dataDir;
    }

    synchronized boolean isRunning() {
        return child != null && child.isAlive();
    }

    /** How long the last start took until the child was ready. */
    synchronized Duration startupTime() {
        if (child == null) {
            throw new IllegalStateException(name + " is not running");
        }
        return child.startupTime();
    }

    /** Starts it again after {@link #stop()}, with the same ports and data; no-op if it runs. */
    synchronized void start() {
        if (!isRunning()) {
            child = launch.start();
        }
    }

    /** Shuts it down cleanly (SIGTERM), keeping its data for {@link #start()}. */
    synchronized void stop() {
        if (child != null) {
            child.stop();
            child = null;
        }
    }

    @Override
    public synchronized void close() {
        stop();
        TempDirs.delete(dataDir);
    }
}
