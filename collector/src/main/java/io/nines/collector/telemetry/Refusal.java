package io.nines.collector.telemetry;

/** Why a receiver turned a request away; the metric tag value is stable for dashboards and alerts. */
public enum Refusal {
    MALFORMED("malformed", false),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", false),
    TOO_LARGE("too_large", false),
    RECORD_TOO_LARGE("record_too_large", false),
    UNAUTHENTICATED("unauthenticated", false),
    /** The token's items-per-second allowance is spent. */
    RATE_LIMITED("rate_limited", true),
    /** The in-flight budget (requests or bytes) is spent. */
    OVER_BUDGET("over_budget", true),
    /** Kafka is down, slow or did not acknowledge in time. */
    SINK_UNAVAILABLE("sink_unavailable", true),
    NOT_FOUND("not_found", false),
    METHOD_NOT_ALLOWED("method_not_allowed", false),
    INTERNAL_ERROR("internal_error", false);

    private final String tag;
    private final boolean retryable;

    Refusal(String tag, boolean retryable) {
        this.tag = tag;
        this.retryable = retryable;
    }

    public String tag() {
        return tag;
    }

    /** Whether the same request may succeed later, so the answer carries a retry delay. */
    public boolean retryable() {
        return retryable;
    }
}
