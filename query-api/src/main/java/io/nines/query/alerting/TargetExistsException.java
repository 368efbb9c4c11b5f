package io.nines.query.alerting;

/** A create named a notification target that exists. */
public final class TargetExistsException extends RuntimeException {

    public TargetExistsException(String name) {
        super("a notification target named '" + name + "' exists; PUT /api/v1/notification-targets/" + name
                + " replaces it");
    }
}
