package io.nines.collector.telemetry;

/** Why a receiver turned a request away; the metric tag value is stable for dashboards and alerts. */
public enum Refusal {
    MALFORMED("malformed"),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
    TOO_LARGE("too_large"),
    RECORD_TOO_LARGE("record_too_large"),
    UNAUTHENTICATED("unauthenticated"),
    /** The token's items-per-second allowance is spent. */
    RATE_LIMITED("rate_limited"),
    /** The in-flight budget (requests or bytes) is spent. */
    OVER_BUDGET("over_budget"),
    /** Kafka is down, slow or did not acknowledge in time. */
    SINK_UNAVAILABLE("sink_unavailable"),
    NOT_FOUND("not_found"),
    METHOD_NOT_ALLOWED("method_not_allowed"),
    INTERNAL_ERROR("internal_error");

    private final String tag;

    Refusal(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
