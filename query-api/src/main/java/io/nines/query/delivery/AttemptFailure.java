package io.nines.query.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * Why one attempt did not deliver. {@code retryable} failures (no answer, a timeout, 408, 429, 5xx, an open breaker,
 * a full bulkhead) are tried again; others (400, 401, 403, 404...) would fail the same way and end the delivery.
 *
 * @param statusCode the HTTP status, 0 when none came
 * @param retryAfter what the target asked for with {@code Retry-After}
 * @param againstTarget whether it says the target is unhealthy (counts for its circuit breaker): not a 429, which
 *     only says we are too fast, and not a 4xx, which is our request's fault
 */
record AttemptFailure(int statusCode, String error, boolean retryable, Optional<Duration> retryAfter,
        boolean againstTarget) {

    AttemptFailure {
        error = error == null ? "" : error;
    }

    static AttemptFailure status(int code, Optional<Duration> retryAfter, String body) {
        boolean retryable = code == 408 || code == 429 || code >= 500;
        return new AttemptFailure(code, "HTTP " + code + (body.isBlank() ? "" : ": " + body), retryable, retryAfter,
                code >= 500);
    }

    static AttemptFailure unreachable(String error) {
        return new AttemptFailure(0, error, true, Optional.empty(), true);
    }

    static AttemptFailure refused(String error) {
        return new AttemptFailure(0, error, true, Optional.empty(), false);
    }

    /** Carries a failure through Resilience4j, which decides on exceptions. */
    static final class Exception extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient AttemptFailure failure;

        Exception(AttemptFailure failure) {
            super(failure.error(), null, false, false);
            this.failure = failure;
        }

        AttemptFailure failure() {
            return failure;
        }
    }

    /** The outcome of an attempt could not be recorded: the delivery stops unsettled and is redelivered. */
    static final class NotRecordedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotRecordedException(RuntimeException cause) {
            super("recording the delivery outcome failed: " + cause.getMessage(), cause);
        }
    }
}
