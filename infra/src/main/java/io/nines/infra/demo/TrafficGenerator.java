package io.nines.infra.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends simulated traces at a steady rate of spans per second in real time. Each trace ends "now" on the
 * injected clock and starts its simulated duration earlier, so the platform sees fresh, complete traces.
 */
final class TrafficGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficGenerator.class);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(30);

    private final Topology topology;
    private final TraceSimulator simulator;
    private final SpanEmitter emitter;
    private final RandomGenerator random;
    private final InstantSource clock;
    private final double spansPerSecond;
    private final Optional<Incident> incident;
    private final AtomicBoolean running = new AtomicBoolean(true);

    TrafficGenerator(Topology topology, SpanEmitter emitter, RandomGenerator random, InstantSource clock,
            double spansPerSecond, Optional<Incident> incident) {
        this.topology = topology;
        this.simulator = new TraceSimulator(random);
        this.emitter = emitter;
        this.random = random;
        this.clock = clock;
        this.spansPerSecond = spansPerSecond;
        this.incident = incident;
    }

    /** Runs until {@link #stop()} or until {@code runFor} (zero: no limit) has passed. */
    void run(Duration runFor) {
        Instant started = clock.instant();
        long traces = 0;
        long spans = 0;
        long errors = 0;
        Instant nextReport = started.plus(REPORT_EVERY);
        while (running.get()) {
            Instant now = clock.instant();
            Duration elapsed = Duration.between(started, now);
            if (!runFor.isZero() && elapsed.compareTo(runFor) >= 0) {
                break;
            }
            // pace by what was sent so far, so that a slow moment is caught up instead of lost
            long dueNanos = (long) (spans / spansPerSecond * 1e9);
            long aheadNanos = dueNanos - elapsed.toNanos();
            if (aheadNanos > 0) {
                LockSupport.parkNanos(Math.min(aheadNanos, TimeUnit.MILLISECONDS.toNanos(200)));
                continue;
            }
            List<SimulatedSpan> trace = simulator.simulate(pick().endpoint(), Incident.activeAt(incident, elapsed));
            emitter.emit(trace, now.minusNanos(trace.get(0).durationNanos()));
            traces++;
            spans += trace.size();
            errors += trace.get(0).error() ? 1 : 0;
            if (!now.isBefore(nextReport)) {
                nextReport = now.plus(REPORT_EVERY);
                LOG.atInfo().addKeyValue("traces", traces).addKeyValue("spans", spans)
                        .addKeyValue("failedTraces", errors)
                        .addKeyValue("incident", Incident.activeAt(incident, elapsed).isPresent())
                        .log("Demo traffic sent");
            }
        }
        LOG.atInfo().addKeyValue("traces", traces).addKeyValue("spans", spans).addKeyValue("failedTraces", errors)
                .log("Demo traffic stopped");
    }

    void stop() {
        running.set(false);
    }

    private Topology.Entry pick() {
        double total = topology.entries().stream().mapToDouble(Topology.Entry::weight).sum();
        double pick = random.nextDouble() * total;
        for (Topology.Entry entry : topology.entries()) {
            pick -= entry.weight();
            if (pick < 0) {
                return entry;
            }
        }
        return topology.entries().get(topology.entries().size() - 1);
    }
}
