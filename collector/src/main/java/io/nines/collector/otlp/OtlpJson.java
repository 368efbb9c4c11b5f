package io.nines.collector.otlp;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * OTLP's JSON encoding: the protobuf JSON mapping (which {@link JsonFormat} implements: lowerCamelCase or
 * original field names, enums as integers or names, 64-bit integers as strings or numbers) with one
 * exception: trace and span ids are hex, not base64. Unknown fields are ignored, as the specification asks.
 * Trace requests, the bulk of the traffic, are read in one streaming pass ({@link OtlpJsonReader}); other
 * messages by {@code JsonFormat}, with the ids rewritten between hex and base64 in a tree pass before parsing
 * and after printing.
 */
public final class OtlpJson {

    /** The bytes fields of spans, links, log records and exemplars that OTLP writes as hex. */
    private static final Set<String> ID_FIELDS = Set.of(
            "traceId", "trace_id", "spanId", "span_id", "parentSpanId", "parent_span_id");
    private static final int QUOTED_VALUE_LIMIT = 40;

    // decimals stay exactly as written; integers beyond a long become BigIntegers on their own
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private final JsonFormat.Parser parser = JsonFormat.parser().ignoringUnknownFields();
    private final JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();
    private final OtlpJsonReader traces = new OtlpJsonReader(mapper.getFactory());

    /**
     * Merges an OTLP JSON document into {@code builder}.
     *
     * @throws InvalidProtocolBufferException for anything that is not an OTLP JSON object of that type
     */
    public void merge(byte[] json, Message.Builder builder) throws InvalidProtocolBufferException {
        if (builder.getDescriptorForType() == ExportTraceServiceRequest.getDescriptor()) {
            traces.merge(json, builder);
            return;
        }
        mergeWithJsonFormat(json, builder);
    }

    /** The tree pass and {@code JsonFormat}; for every message type, and the yardstick of the streaming reader. */
    void mergeWithJsonFormat(byte[] json, Message.Builder builder) throws InvalidProtocolBufferException {
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidProtocolBufferException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidProtocolBufferException("unreadable JSON: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            return;
        }
        if (!tree.isObject()) {
            throw new InvalidProtocolBufferException("expected a JSON object but got " + tree.getNodeType());
        }
        try {
            rewriteIds(tree, OtlpJson::hexToBase64);
        } catch (InvalidIdException e) {
            throw new InvalidProtocolBufferException(e.getMessage());
        }
        try {
            parser.merge(mapper.writeValueAsString(tree), builder);
        } catch (JacksonException e) {
            throw new InvalidProtocolBufferException("cannot re-encode JSON: " + e.getOriginalMessage());
        } catch (RuntimeException e) {
            // JsonFormat signals some type mismatches (an object where a number belongs) this way
            throw new InvalidProtocolBufferException("not a valid OTLP JSON message: " + e.getMessage());
        }
    }

    /** OTLP JSON of {@code message}, ids as hex. */
    public String print(MessageOrBuilder message) {
        try {
            JsonNode tree = mapper.readTree(printer.print(message));
            rewriteIds(tree, OtlpJson::base64ToHex);
            return mapper.writeValueAsString(tree);
        } catch (InvalidProtocolBufferException | JacksonException e) {
            throw new IllegalStateException("cannot print a " + message.getDescriptorForType().getFullName(), e);
        }
    }

    /** Iterative, so a deeply nested document cannot exhaust the stack. */
    private static void rewriteIds(JsonNode root, UnaryOperator<String> rewrite) {
        List<JsonNode> pending = new ArrayList<>();
        pending.add(root);
        while (!pending.isEmpty()) {
            JsonNode node = pending.remove(pending.size() - 1);
            if (node.isArray()) {
                node.forEach(pending::add);
            } else if (node.isObject()) {
                ObjectNode object = (ObjectNode) node;
                List<Map.Entry<String, JsonNode>> ids = new ArrayList<>(0);
                for (Map.Entry<String, JsonNode> field : object.properties()) {
                    if (ID_FIELDS.contains(field.getKey()) && field.getValue().isTextual()) {
                        ids.add(field);
                    } else if (field.getValue().isContainerNode()) {
                        pending.add(field.getValue());
                    }
                }
                for (Map.Entry<String, JsonNode> id : ids) {
                    object.put(id.getKey(), rewrite.apply(id.getValue().textValue()));
                }
            }
        }
    }

    private static String hexToBase64(String hex) {
        try {
            return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new InvalidIdException(hex);
        }
    }

    private static String base64ToHex(String base64) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
    }

    /** Carries a bad id out of the tree walk; {@link #merge} turns it into a parse failure. */
    private static final class InvalidIdException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidIdException(String value) {
            super("trace and span ids must be hex but got \"" + (value.length() > QUOTED_VALUE_LIMIT
                    ? value.substring(0, QUOTED_VALUE_LIMIT) + "..." : value) + "\"");
        }
    }
}
