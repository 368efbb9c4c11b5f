package io.nines.query.alerting;

/** No silence has that id. */
public final class UnknownSilenceException extends RuntimeException {

    public UnknownSilenceException(String id) {
        super("no silence with id '" + (id.length() > 40 ? id.substring(0, 40) + "..." : id) + "' exists");
    }
}
