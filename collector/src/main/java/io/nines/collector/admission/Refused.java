package io.nines.collector.admission;

import io.nines.collector.telemetry.Refusal;
import java.time.Duration;
import java.util.Objects;

/**
 * A request turned away before its data reached Kafka. It carries no stack trace: under overload it is
 * thrown for most requests, and where it was thrown says nothing the reason does not.
 */
public final class Refused extends Exception {

    private static final long serialVersionUID = 1L;

    private final Refusal reason;
    private final transient Duration retryAfter;

    public Refused(Refusal reason, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public Refusal reason() {
        return reason;
    }

    /** How long the client should wait before retrying; meaningful when the reason is retryable. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
