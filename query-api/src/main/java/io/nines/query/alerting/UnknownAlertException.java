package io.nines.query.alerting;

/** No transition of that alert was ever recorded. */
public final class UnknownAlertException extends RuntimeException {

    public UnknownAlertException(String alertId) {
        super("no alert '" + (alertId.length() > 80 ? alertId.substring(0, 80) + "..." : alertId) + "' has fired");
    }
}
