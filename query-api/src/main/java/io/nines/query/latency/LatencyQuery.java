package io.nines.query.latency;

import java.util.Optional;

/** Latency of one service, optionally one of its operations, over a time range. */
public record LatencyQuery(String service, Optional<String> operation, TimeRange range, Quantiles quantiles) {

    static final int MAX_NAME_LENGTH = 512;

    public LatencyQuery {
        requireName("service", service);
        operation.ifPresent(name -> requireName("operation", name));
        if (range == null || quantiles == null) {
            throw new IllegalArgumentException("range and quantiles are required, were " + range + ", " + quantiles);
        }
    }

    static void requireName(String parameter, String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidQueryException(parameter, parameter + " must not be blank");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidQueryException(parameter,
                    parameter + " must be at most " + MAX_NAME_LENGTH + " characters, was " + name.length());
        }
    }
}
