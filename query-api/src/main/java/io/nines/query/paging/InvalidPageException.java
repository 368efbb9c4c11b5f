package io.nines.query.paging;

/** {@code limit} or {@code cursor} broke a rule; the message names the parameter and the rule. */
public final class InvalidPageException extends RuntimeException {

    private final String parameter;

    InvalidPageException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
