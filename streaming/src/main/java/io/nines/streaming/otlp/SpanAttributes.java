package io.nines.streaming.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The attributes a span event keeps for SLO selectors and grouping: scalar span attributes, then the
 * resource's where the span has none of that name, as text. Bounded so one chatty SDK cannot bloat every
 * event: at most {@link #MAX_ATTRIBUTES}, keys up to {@link #MAX_KEY_CHARS} and values up to
 * {@link #MAX_VALUE_CHARS} characters; arrays, maps and bytes are skipped (no selector compares them).
 */
final class SpanAttributes {

    static final int MAX_ATTRIBUTES = 64;
    static final int MAX_KEY_CHARS = 128;
    static final int MAX_VALUE_CHARS = 256;

    private SpanAttributes() {
    }

    /** A resource's attributes; {@code service.name} is left out, as every event carries it as its service. */
    static Map<String, String> ofResource(List<KeyValue> resource) {
        Map<String, String> kept = new HashMap<>();
        addAll(resource, kept);
        kept.remove("service.name");
        return kept;
    }

    /** A span's attributes over its resource's. */
    static Map<String, String> of(List<KeyValue> span, Map<String, String> resource) {
        if (span.isEmpty() && resource.isEmpty()) {
            return Map.of();
        }
        Map<String, String> kept = new HashMap<>();
        addAll(span, kept);
        for (Map.Entry<String, String> attribute : resource.entrySet()) {
            if (kept.size() >= MAX_ATTRIBUTES) {
                break;
            }
            kept.putIfAbsent(attribute.getKey(), attribute.getValue());
        }
        return kept;
    }

    private static void addAll(List<KeyValue> attributes, Map<String, String> kept) {
        for (KeyValue attribute : attributes) {
            if (kept.size() >= MAX_ATTRIBUTES) {
                return;
            }
            String value = text(attribute.getValue());
            if (value != null && value.length() <= MAX_VALUE_CHARS && attribute.getKey().length() <= MAX_KEY_CHARS) {
                kept.putIfAbsent(attribute.getKey(), value);
            }
        }
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> Long.toString(value.getIntValue());
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            default -> null;
        };
    }
}
