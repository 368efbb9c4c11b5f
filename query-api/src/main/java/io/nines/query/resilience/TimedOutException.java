package io.nines.query.resilience;

/** A request took longer than its lane allows. */
public final class TimedOutException extends RuntimeException {

    public TimedOutException(String message) {
        super(message);
    }
}
