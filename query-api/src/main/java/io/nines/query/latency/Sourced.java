package io.nines.query.latency;

/** An answer and the source it was read from. */
public record Sourced<T>(Source source, T value) {

    public Sourced {
        if (source == null || value == null) {
            throw new IllegalArgumentException("source and value are required, were " + source + ", " + value);
        }
    }
}
