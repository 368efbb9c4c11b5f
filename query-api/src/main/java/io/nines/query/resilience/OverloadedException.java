package io.nines.query.resilience;

/** Too many requests at once (all of them, or of one lane): answered 503, to be retried shortly. */
public final class OverloadedException extends RuntimeException {

    public OverloadedException(String message) {
        super(message);
    }
}
