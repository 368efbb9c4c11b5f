package io.nines.collector.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Kafka can take data, from two sources: every delivery the producer reports, and a probe that
 * asks the cluster for its nodes every {@code interval}. A failed delivery marks Kafka down at once, so
 * receivers answer "retry later" straight away instead of letting every client wait out the delivery
 * timeout; a successful probe or delivery marks it up again. Two probes must fail in a row, since one slow
 * answer on a busy machine is no outage. {@link #ready()} is the probe's view alone.
 */
public final class KafkaHealth implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaHealth.class);

    private final Admin admin;
    private final ScheduledExecutorService prober;
    private final InstantSource clock;
    private final Duration interval;
    private volatile boolean accepting = true;
    private volatile Instant lastProbeSuccess = Instant.MIN;
    /** Touched by the prober thread only; one slow probe on a busy machine is not an outage. */
    private int probeFailures;

    private KafkaHealth(Admin admin, ScheduledExecutorService prober, InstantSource clock, Duration interval) {
        this.admin = admin;
        this.prober = prober;
        this.clock = clock;
        this.interval = interval;
    }

    /** Starts probing {@code bootstrapServers} every {@code interval}; the first probe runs at once. */
    public static KafkaHealth start(String bootstrapServers, Duration interval, InstantSource clock,
            MeterRegistry registry) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(clock, "clock");
        if (interval.toMillis() < 100) {
            throw new IllegalArgumentException("interval must be at least 100 ms but was " + interval);
        }
        int timeoutMs = Math.toIntExact(Math.max(1000, interval.toMillis()));
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "nines-collector-health",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
        ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "collector-kafka-health");
            thread.setDaemon(true);
            return thread;
        });
        KafkaHealth health = new KafkaHealth(admin, prober, clock, interval);
        Gauge.builder("nines.collector.kafka.up", health, h -> h.accepting ? 1 : 0)
                .description("1 while Kafka takes data, 0 while the receivers refuse with retry-later")
                .register(registry);
        prober.scheduleWithFixedDelay(() -> health.probe(timeoutMs), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return health;
    }

    /** False while Kafka is known to be down: receivers then refuse new data with a retryable answer. */
    public boolean accepting() {
        return accepting;
    }

    /** True when the last probe, no older than three intervals, reached the cluster. */
    public boolean ready() {
        return !lastProbeSuccess.plus(interval.multipliedBy(3)).isBefore(clock.instant());
    }

    void delivered() {
        if (!accepting) {
            markUp();
        }
    }

    void failed(Throwable error) {
        if (accepting) {
            accepting = false;
            LOG.atWarn().addKeyValue("error", error.toString()).log("Kafka is down: refusing data until it answers");
        }
    }

    private void probe(int timeoutMs) {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes()
                    .get(timeoutMs + 500L, TimeUnit.MILLISECONDS);
            lastProbeSuccess = clock.instant();
            probeFailures = 0;
            if (!accepting) {
                markUp();
            }
        } catch (ExecutionException | TimeoutException e) {
            if (++probeFailures >= 2) {
                failed(e.getCause() == null ? e : e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).log("Kafka probe failed unexpectedly");
            failed(e);
        }
    }

    private void markUp() {
        accepting = true;
        LOG.info("Kafka answers again: accepting data");
    }

    @Override
    public void close() {
        prober.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
