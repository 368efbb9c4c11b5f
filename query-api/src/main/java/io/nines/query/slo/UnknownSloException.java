package io.nines.query.slo;

/** No SLO of that name exists (or it was deleted). */
public final class UnknownSloException extends RuntimeException {

    public UnknownSloException(String name) {
        super("no SLO named '" + name + "' exists");
    }
}
