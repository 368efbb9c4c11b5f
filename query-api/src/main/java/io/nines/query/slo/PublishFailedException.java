package io.nines.query.slo;

/** Kafka did not acknowledge a definition, so it was not made current; the caller may retry. */
public final class PublishFailedException extends RuntimeException {

    PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
