package io.nines.query.slo;

/** A change's {@code If-Match} did not name the SLO's current version, or another change won the race to it. */
public final class PreconditionFailedException extends RuntimeException {

    PreconditionFailedException(String message) {
        super(message);
    }
}
