package io.nines.streaming.metrics;

/**
 * What a histogram point must satisfy before it may reach a window: a point that breaks a rule is rejected by the
 * decoder (counted, set aside), because inside the window the same input would throw on every replay and
 * crash-loop the job. Each rule throws {@link IllegalArgumentException} naming the value.
 */
final class PointLimits {

    /** Longest service or operation name kept: the names become ClickHouse LowCardinality keys. */
    static final int MAX_NAME_CHARS = 256;
    /** Longest series identity (service, instance, metric, attributes) kept in keyed state. */
    static final int MAX_SERIES_CHARS = 4_096;
    private static final int SHOWN_CHARS = 64;

    private PointLimits() {
    }

    static void requireName(String what, String name) {
        if (name.length() > MAX_NAME_CHARS) {
            throw new IllegalArgumentException(what + " must be at most " + MAX_NAME_CHARS + " characters, was "
                    + name.length() + ": " + printable(name));
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " must not contain control characters, was " + printable(name));
        }
    }

    static void requireSeries(String series) {
        if (series.length() > MAX_SERIES_CHARS) {
            throw new IllegalArgumentException("a series (service, instance, metric and attributes) must be at most "
                    + MAX_SERIES_CHARS + " characters, was " + series.length());
        }
    }

    /** The sum in milliseconds: a finite, non-negative number (NaN or infinity would poison its minute's sum). */
    static void requireSum(double sumMillis) {
        if (!(sumMillis >= 0) || Double.isInfinite(sumMillis)) {
            throw new IllegalArgumentException("sum must be a finite, non-negative number, was " + sumMillis);
        }
    }

    /** The point's declared count must be the sum of its buckets', as OTLP defines it. */
    static void requireCount(long declared, long bucketTotal, long otherTotal) {
        long total;
        try {
            total = Math.addExact(bucketTotal, otherTotal);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("bucket counts add up to more than a 64-bit count", e);
        }
        if (declared != total) {
            throw new IllegalArgumentException("count " + Long.toUnsignedString(declared)
                    + " disagrees with its buckets, which hold " + total);
        }
    }

    /** {@code value} quoted for a log line or reason: at most 64 characters, control characters escaped. */
    static String printable(String value) {
        StringBuilder shown = new StringBuilder("'");
        value.codePoints().limit(SHOWN_CHARS).forEach(c -> {
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        shown.append('\'');
        return value.length() > SHOWN_CHARS ? shown + "... (" + value.length() + " characters)" : shown.toString();
    }
}
