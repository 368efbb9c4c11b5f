package io.nines.collector.pipeline;

/** The three OTLP signals, with the names that metrics, messages and paths use for them. */
public enum Signal {
    TRACES("traces", "spans", "spans"),
    METRICS("metrics", "data points", "metric_points"),
    LOGS("logs", "log records", "log_records");

    private final String tag;
    private final String items;
    private final String itemsMetric;

    Signal(String tag, String items, String itemsMetric) {
        this.tag = tag;
        this.items = items;
        this.itemsMetric = itemsMetric;
    }

    /** {@code traces}, {@code metrics}, {@code logs}: metric tag and OTLP/HTTP path segment. */
    public String tag() {
        return tag;
    }

    /** What one item is called in messages to clients ("spans"). */
    public String items() {
        return items;
    }

    /** The suffix of the metric that counts this signal's items ({@code nines.collector.spans}). */
    public String itemsMetric() {
        return itemsMetric;
    }
}
