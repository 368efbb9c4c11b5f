package io.nines.query.latency;

import java.time.Duration;

/** A stored latency table and its time column: the allow-list of identifiers the latency SQL may name. */
enum Resolution {
    MINUTE("latency_minute", "minute", Duration.ofMinutes(1)),
    HOUR("latency_hour", "hour", Duration.ofHours(1)),
    DAY("latency_day", "day", Duration.ofDays(1)),
    /** Minutes from OTLP histogram metrics; not rolled up. */
    METRIC_MINUTE("metric_latency_minute", "minute", Duration.ofMinutes(1));

    final String table;
    final String column;
    final Duration length;

    Resolution(String table, String column, Duration length) {
        this.table = table;
        this.column = column;
        this.length = length;
    }

    /** Whether every row of this table lies within one step of a series that starts at {@code start}. */
    boolean fitsSteps(java.time.Instant start, Duration step) {
        long seconds = length.toSeconds();
        return start.getEpochSecond() % seconds == 0 && step.toSeconds() % seconds == 0;
    }
}
