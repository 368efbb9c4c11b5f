package io.nines.query.auth;

/** No live token has this id. */
public final class UnknownTokenException extends RuntimeException {

    public UnknownTokenException(String id) {
        super("no live token has the id '" + (id.length() > 40 ? id.substring(0, 40) + "..." : id) + "'");
    }
}
