package io.nines.query.alerting;

/** No notification target of that name exists (or it was deleted). */
public final class UnknownTargetException extends RuntimeException {

    public UnknownTargetException(String name) {
        super("no notification target named '" + name + "' exists");
    }
}
