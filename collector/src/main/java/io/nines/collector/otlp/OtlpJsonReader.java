package io.nines.collector.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OTLP/JSON read in one streaming pass (Jackson's {@link JsonParser}) straight into the protobuf builders, driven by
 * the message descriptors: no JSON tree, no second text, which is what made {@code JsonFormat} plus a tree pass for
 * the ids cost some 20 times the protobuf path. It reads what {@code JsonFormat.parser().ignoringUnknownFields()}
 * reads, with OTLP's one exception: {@code trace_id}, {@code span_id} and {@code parent_span_id} are hex (either
 * case), other bytes base64. Keys in lowerCamelCase or as in the proto; enums as names or integers (unknown names
 * ignored); 64-bit integers as strings or numbers; unknown fields and {@code null}s skipped. Not for the
 * well-known wrapper types, which OTLP does not use.
 */
final class OtlpJsonReader {

    private static final Set<String> HEX_FIELDS = Set.of("trace_id", "span_id", "parent_span_id");
    /** As protobuf-java's parsers. */
    private static final int MAX_DEPTH = 100;
    private static final int QUOTED_VALUE_LIMIT = 40;
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** A message type's fields by both their JSON and proto names. */
    private record Fields(Map<String, FieldDescriptor> byName) {}

    private final JsonFactory factory;
    private final Map<Descriptor, Fields> fields = new ConcurrentHashMap<>();

    OtlpJsonReader(JsonFactory factory) {
        this.factory = factory;
    }

    /**
     * Merges an OTLP JSON document into {@code builder}; an empty document merges nothing.
     *
     * @throws InvalidProtocolBufferException for anything that is not an OTLP JSON object of that type
     */
    void merge(byte[] json, Message.Builder builder) throws InvalidProtocolBufferException {
        try (JsonParser parser = factory.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return;
            }
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidProtocolBufferException("expected a JSON object but got " + kind(first));
            }
            message(parser, builder, 0);
        } catch (StreamReadException e) {
            throw new InvalidProtocolBufferException("not valid JSON: " + e.getOriginalMessage());
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException("unreadable JSON: " + e.getMessage());
        }
    }

    /** The object whose START_OBJECT is the current token, into {@code builder}. */
    private void message(JsonParser parser, Message.Builder builder, int depth) throws IOException {
        if (depth >= MAX_DEPTH) {
            throw new InvalidProtocolBufferException("Hit recursion limit.");
        }
        Fields known = fields.computeIfAbsent(builder.getDescriptorForType(), OtlpJsonReader::fieldsOf);
        long seen = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            FieldDescriptor field = known.byName().get(parser.currentName());
            JsonToken value = parser.nextToken();
            if (field == null) {
                parser.skipChildren();
                continue;
            }
            if (field.getIndex() < Long.SIZE) {
                long bit = 1L << field.getIndex();
                if ((seen & bit) != 0) {
                    throw invalid("field " + field.getName() + " has already been set");
                }
                seen |= bit;
            }
            if (value == JsonToken.VALUE_NULL) {
                continue;
            }
            if (field.getRealContainingOneof() != null && builder.hasOneof(field.getRealContainingOneof())) {
                throw invalid("field " + field.getName() + " belongs to a oneof that has already been set");
            }
            if (field.isRepeated()) {
                repeated(parser, builder, field, depth);
            } else {
                Object parsed = value(parser, builder, field, depth);
                if (parsed != null) {
                    builder.setField(field, parsed);
                }
            }
        }
    }

    private void repeated(JsonParser parser, Message.Builder builder, FieldDescriptor field, int depth)
            throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw invalid("field " + field.getName() + " must be an array but got " + kind(parser.currentToken()));
        }
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() == JsonToken.VALUE_NULL) {
                throw invalid("field " + field.getName() + " must not hold null elements");
            }
            Object parsed = value(parser, builder, field, depth);
            if (parsed != null) {
                builder.addRepeatedField(field, parsed);
            }
        }
    }

    /** One value of {@code field} at the current token; null for an enum name this version does not know. */
    private Object value(JsonParser parser, Message.Builder builder, FieldDescriptor field, int depth)
            throws IOException {
        JsonToken token = parser.currentToken();
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            if (token != JsonToken.START_OBJECT) {
                throw invalid("field " + field.getName() + " must be an object but got " + kind(token));
            }
            Message.Builder nested = builder.newBuilderForField(field);
            message(parser, nested, depth + 1);
            return nested.build();
        }
        if (!token.isScalarValue()) {
            throw invalid("field " + field.getName() + " must be a " + field.getJavaType().name().toLowerCase()
                    + " but got " + kind(token));
        }
        String text = parser.getText();
        try {
            return switch (field.getType()) {
                case STRING -> text;
                case BOOL -> bool(text, field);
                case INT32, SINT32, SFIXED32 -> int32(text);
                case UINT32, FIXED32 -> uint32(text);
                case INT64, SINT64, SFIXED64 -> int64(text);
                case UINT64, FIXED64 -> uint64(text);
                case DOUBLE -> doubleValue(text);
                case FLOAT -> floatValue(text);
                case BYTES -> HEX_FIELDS.contains(field.getName()) ? hex(text) : base64(text, field);
                case ENUM -> enumValue(text, field.getEnumType());
                default -> throw invalid("field " + field.getName() + " has an unsupported type " + field.getType());
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid("field " + field.getName() + " cannot hold " + quoted(text));
        }
    }

    private static Boolean bool(String text, FieldDescriptor field) throws InvalidProtocolBufferException {
        return switch (text) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw invalid("field " + field.getName() + " must be true or false but got " + quoted(text));
        };
    }

    private static int int32(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return new BigDecimal(text).intValueExact();
        }
    }

    private static int uint32(String text) {
        long value = int64(text);
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new NumberFormatException("out of range for uint32: " + text);
        }
        return (int) value;
    }

    private static long int64(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return new BigDecimal(text).longValueExact();
        }
    }

    /** Unsigned, as the bits of a long: 2^64 - 1 is -1. */
    private static long uint64(String text) {
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new NumberFormatException("negative uint64: " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            BigInteger value = new BigDecimal(text).toBigIntegerExact();
            if (value.signum() < 0 || value.compareTo(MAX_UINT64) > 0) {
                throw new NumberFormatException("out of range for uint64: " + text);
            }
            return value.longValue();
        }
    }

    private static double doubleValue(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> {
                double value = Double.parseDouble(text);
                if (Double.isInfinite(value)) {
                    throw new NumberFormatException("out of range for double: " + text);
                }
                yield value;
            }
        };
    }

    private static float floatValue(String text) {
        double value = doubleValue(text);
        if (!Double.isNaN(value) && !Double.isInfinite(value) && Math.abs(value) > Float.MAX_VALUE) {
            throw new NumberFormatException("out of range for float: " + text);
        }
        return (float) value;
    }

    private static ByteString hex(String text) throws InvalidProtocolBufferException {
        try {
            return ByteString.copyFrom(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            throw new InvalidProtocolBufferException("trace and span ids must be hex but got " + quoted(text));
        }
    }

    /** Standard or URL-safe, as {@code JsonFormat} takes it. */
    private static ByteString base64(String text, FieldDescriptor field) throws InvalidProtocolBufferException {
        try {
            return ByteString.copyFrom(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            try {
                return ByteString.copyFrom(Base64.getUrlDecoder().decode(text));
            } catch (IllegalArgumentException again) {
                throw invalid("field " + field.getName() + " must be base64 but got " + quoted(text));
            }
        }
    }

    /** Open enums, as in proto3: a number this version does not know is kept; a name it does not know is skipped. */
    private static EnumValueDescriptor enumValue(String text, EnumDescriptor type) {
        EnumValueDescriptor byName = type.findValueByName(text);
        if (byName != null) {
            return byName;
        }
        try {
            return type.findValueByNumberCreatingIfUnknown(int32(text));
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static Fields fieldsOf(Descriptor type) {
        Map<String, FieldDescriptor> byName = new HashMap<>();
        for (FieldDescriptor field : type.getFields()) {
            byName.put(field.getName(), field);
            byName.put(field.getJsonName(), field);
        }
        return new Fields(Map.copyOf(byName));
    }

    private static String kind(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "OBJECT";
            case START_ARRAY -> "ARRAY";
            case VALUE_STRING -> "STRING";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "NUMBER";
            case VALUE_TRUE, VALUE_FALSE -> "BOOLEAN";
            case VALUE_NULL -> "NULL";
            default -> token.name();
        };
    }

    private static String quoted(String value) {
        return "\"" + (value.length() > QUOTED_VALUE_LIMIT ? value.substring(0, QUOTED_VALUE_LIMIT) + "..." : value)
                + "\"";
    }

    private static InvalidProtocolBufferException invalid(String message) {
        return new InvalidProtocolBufferException("not a valid OTLP JSON message: " + message);
    }
}
