package io.nines.collector.pipeline;

/**
 * Why an individual item was left out of an otherwise accepted request (OTLP partial success). The tag is
 * the stable metric label; the text completes "N ..." in the message to the client.
 */
public enum Rejection {
    INVALID_TRACE_ID("invalid_trace_id", "without a valid 16-byte trace id"),
    INVALID_SPAN_ID("invalid_span_id", "without a valid 8-byte span id"),
    INVALID_PARENT_SPAN_ID("invalid_parent_span_id", "with a parent span id that is not 8 bytes"),
    MISSING_TIMESTAMP("missing_timestamp", "without a timestamp"),
    ENDS_BEFORE_START("ends_before_start", "ending before they start"),
    TOO_FAR_IN_FUTURE("too_far_in_future", "with timestamps too far in the future"),
    MISSING_NAME("missing_name", "of metrics without a name");

    private final String tag;
    private final String text;

    Rejection(String tag, String text) {
        this.tag = tag;
        this.text = text;
    }

    public String tag() {
        return tag;
    }

    String text() {
        return text;
    }
}
