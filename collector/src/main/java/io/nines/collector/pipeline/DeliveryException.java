package io.nines.collector.pipeline;

import java.util.Objects;

/** The sink did not take a request's records; {@link #reason()} tells the receiver how to answer. */
public final class DeliveryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why delivery failed. */
    public enum Reason {
        /** The destination is down, slow or refused for now; the client should retry later. */
        UNAVAILABLE,
        /** A record is larger than the destination accepts; retrying the same data cannot succeed. */
        RECORD_TOO_LARGE
    }

    private final Reason reason;

    public DeliveryException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
