package io.nines.collector.pipeline;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What became of an export request whose valid items the sink now holds.
 *
 * @param signal     the request's signal, for the message
 * @param accepted   items written
 * @param rejections invalid items left out, by reason, answered as OTLP partial success
 */
public record IngestResult(Signal signal, int accepted, Map<Rejection, Integer> rejections) {

    public IngestResult {
        Objects.requireNonNull(signal, "signal");
        if (accepted < 0) {
            throw new IllegalArgumentException("accepted must be >= 0 but was " + accepted);
        }
        rejections = rejections.isEmpty() ? Map.of() : new EnumMap<>(rejections);
    }

    public int rejected() {
        int rejected = 0;
        for (int count : rejections.values()) {
            rejected += count;
        }
        return rejected;
    }

    /** For the partial-success {@code error_message}; empty when nothing was rejected. */
    public String message() {
        if (rejections.isEmpty()) {
            return "";
        }
        return "rejected " + rejected() + " of " + (accepted + rejected()) + " " + signal.items() + ": "
                + rejections.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().text())
                        .collect(Collectors.joining(", "));
    }
}
