package io.nines.query.latency;

import java.util.Locale;

/**
 * Where a service's latency is read from: its spans ({@code latency_minute} and rollups), or, for a service that
 * sent no spans in the range, its OTLP histogram metrics ({@code metric_latency_minute}), whose quantiles are only
 * as fine as the source buckets (docs/architecture.md, "Error bound"). One source per answer, never both: a
 * service that sends both would otherwise count each request twice.
 */
public enum Source {
    SPANS,
    METRICS;

    /** The name in answers: {@code spans} or {@code metrics}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
