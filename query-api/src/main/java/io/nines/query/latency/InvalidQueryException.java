package io.nines.query.latency;

/** A query parameter broke a rule; the message names the parameter and the rule, for the caller to fix. */
public final class InvalidQueryException extends RuntimeException {

    private final String parameter;

    public InvalidQueryException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
