package io.nines.streaming.job;

import java.time.Duration;
import java.util.Objects;

/**
 * How the job treats event time.
 *
 * <p>Watermarks are generated per parallel subtask after decoding, not per Kafka partition: a subtask reading
 * several partitions merges them under one {@code outOfOrderness}, so the job is deployed with parallelism equal
 * to the spans topic's partitions (docs/architecture.md, "Where watermarks come from").
 *
 * @param outOfOrderness how far behind the newest span <em>its subtask</em> has seen an older one may arrive and
 *     still be on time (with one partition per subtask: the newest of its partition)
 * @param idleness how long a subtask's input (the spans of all the partitions it reads) may stay silent before it
 *     stops holding the watermark back; a quiet partition read together with a busy one never goes idle
 * @param allowedLateness how long after its end a minute still accepts spans (and is re-emitted)
 * @param earlyFiring how often an open minute with new spans is emitted before it closes
 * @param maxClockSkew how far a span's end may lie after its arrival in Kafka; a span ending later than that
 *     comes from a clock running ahead and is routed aside, so it cannot drag the watermark into the future
 */
public record JobOptions(Duration outOfOrderness, Duration idleness, Duration allowedLateness,
                         Duration earlyFiring, Duration maxClockSkew) {

    public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDLENESS = Duration.ofSeconds(30);
    public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofMinutes(10);
    public static final Duration DEFAULT_EARLY_FIRING = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(10);

    public JobOptions {
        requireNotNegative("outOfOrderness", outOfOrderness);
        requirePositive("idleness", idleness);
        requireNotNegative("allowedLateness", allowedLateness);
        requirePositive("earlyFiring", earlyFiring);
        requireNotNegative("maxClockSkew", maxClockSkew);
    }

    /** Options with the default {@link #DEFAULT_MAX_CLOCK_SKEW}. */
    public JobOptions(Duration outOfOrderness, Duration idleness, Duration allowedLateness, Duration earlyFiring) {
        this(outOfOrderness, idleness, allowedLateness, earlyFiring, DEFAULT_MAX_CLOCK_SKEW);
    }

    public static JobOptions defaults() {
        return new JobOptions(DEFAULT_OUT_OF_ORDERNESS, DEFAULT_IDLENESS, DEFAULT_ALLOWED_LATENESS,
                DEFAULT_EARLY_FIRING, DEFAULT_MAX_CLOCK_SKEW);
    }

    private static void requireNotNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        requireNotNegative(name, value);
        if (value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
