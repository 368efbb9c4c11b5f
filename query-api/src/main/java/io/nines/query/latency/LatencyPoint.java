package io.nines.query.latency;

import java.time.Instant;

/** The latency of one step of a series; {@code start} is the first minute of the step. */
public record LatencyPoint(Instant start, LatencyStats stats) {}
