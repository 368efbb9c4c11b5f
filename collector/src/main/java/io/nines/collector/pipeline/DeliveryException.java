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

    /**
     * How a refusal after a failed delivery reads: the request's transaction was aborted, so none of its records is
     * visible to {@code read_committed} readers and the client's retry stores it exactly once.
     */
    public static final String NOT_ACKNOWLEDGED = "the collector cannot store data right now: Kafka did not "
            + "commit it in time, and none of it was stored";

    private final Reason reason;

    public DeliveryException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
