package io.nines.query.auth;

/** A token request with a bad field, named in {@link #parameter()}. */
public final class InvalidTokenRequestException extends RuntimeException {

    private final String parameter;

    public InvalidTokenRequestException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
