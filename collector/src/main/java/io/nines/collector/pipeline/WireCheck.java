package io.nines.collector.pipeline;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks serialized protobuf against a message's descriptor the way protobuf-java's parser judges it, without
 * building any message: tags, lengths, varints read as the parser reads them (32-bit fields as 32-bit
 * varints, everything else, unknown fields included, as 64-bit), groups, nesting within 100 levels, and UTF-8
 * in string fields. A field with an unexpected wire type is an unknown field, as in the parser. Packed
 * repeated numbers, which OTLP traces do not have, are only checked by their length.
 *
 * <p>Descriptor lookups are slow, so the shapes of all messages reachable from the root type are computed
 * once, into immutable tables indexed by field number.
 */
final class WireCheck {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** protobuf-java's default recursion limit. */
    static final int MAX_DEPTH = 100;

    private enum Kind { MESSAGE, STRING, VARINT32, OTHER }

    /** One known field: how it is read, and the message type it holds. */
    private record Field(int tag, Kind kind, Shape type) {}

    /** A message type's fields by number; set once while the tables are built (types refer to each other). */
    private static final class Shape {
        private Field[] fields = new Field[0];
    }

    private final Map<Descriptor, Shape> shapes;

    private WireCheck(Map<Descriptor, Shape> shapes) {
        this.shapes = shapes;
    }

    /** The tables for {@code root} and every message type it reaches. */
    static WireCheck of(Descriptor root) {
        Map<Descriptor, Shape> shapes = new HashMap<>();
        shape(root, shapes);
        return new WireCheck(Map.copyOf(shapes));
    }

    private static Shape shape(Descriptor type, Map<Descriptor, Shape> shapes) {
        Shape known = shapes.get(type);
        if (known != null) {
            return known;
        }
        Shape shape = new Shape();
        shapes.put(type, shape);
        List<FieldDescriptor> descriptors = type.getFields();
        int max = descriptors.stream().mapToInt(FieldDescriptor::getNumber).max().orElse(0);
        Field[] fields = new Field[max + 1];
        for (FieldDescriptor field : descriptors) {
            int wireType = field.isPackable() ? -1 : field.getLiteType().getWireType();
            Kind kind = switch (field.getJavaType()) {
                case MESSAGE -> Kind.MESSAGE;
                case STRING -> Kind.STRING;
                case INT, ENUM -> wireType == WireFormat.WIRETYPE_VARINT ? Kind.VARINT32 : Kind.OTHER;
                default -> Kind.OTHER;
            };
            fields[field.getNumber()] = new Field(field.getNumber() << 3 | wireType, kind,
                    kind == Kind.MESSAGE ? shape(field.getMessageType(), shapes) : null);
        }
        shape.fields = fields;
        return shape;
    }

    /**
     * The checker of one message type's fields. Callers keep it: looking the type up by descriptor for every field
     * of every span cost about a sixth of the scan.
     */
    Fields fieldsOf(Descriptor type) {
        Shape shape = shapes.get(type);
        if (shape == null) {
            throw new IllegalArgumentException(type.getFullName() + " is not reachable from this check's root");
        }
        return (tag, in, wire, depth) -> field(shape, tag, in, wire, depth);
    }

    /** Checks one field of a given message type whose tag was just read, {@code depth} levels deep. */
    @FunctionalInterface
    interface Fields {
        void field(int tag, CodedInputStream in, byte[] wire, int depth) throws IOException;
    }

    private void field(Shape shape, int tag, CodedInputStream in, byte[] wire, int depth) throws IOException {
        int number = tag >>> 3;
        Field field = number < shape.fields.length ? shape.fields[number] : null;
        if (field == null || field.tag() != tag) {
            unknown(tag, in, depth);
            return;
        }
        switch (field.kind()) {
            case MESSAGE -> {
                if (depth + 1 > MAX_DEPTH) {
                    throw new InvalidProtocolBufferException("Protocol message had too many levels of nesting");
                }
                int limit = in.pushLimit(in.readRawVarint32());
                int next;
                while ((next = in.readTag()) != 0) {
                    field(field.type(), next, in, wire, depth + 1);
                }
                in.popLimit(limit);
            }
            case STRING -> string(in, wire);
            case VARINT32 -> in.readRawVarint32();
            case OTHER -> unknown(tag, in, depth);
        }
    }

    /** A length-delimited string field whose length prefix is next: skipped if it is valid UTF-8. */
    static void string(CodedInputStream in, byte[] wire) throws IOException {
        int length = in.readRawVarint32();
        int offset = in.getTotalBytesRead();
        if (length < 0 || length > wire.length - offset) {
            throw new InvalidProtocolBufferException("While parsing a protocol message, the input ended unexpectedly");
        }
        if (!ascii(wire, offset, length) && !UnsafeByteOperations.unsafeWrap(wire, offset, length).isValidUtf8()) {
            throw new InvalidProtocolBufferException("Protocol message had invalid UTF-8.");
        }
        in.skipRawBytes(length);
    }

    /** Eight bytes at a time: most strings in telemetry are ASCII, and this is the scan's hottest loop. */
    private static boolean ascii(byte[] wire, int offset, int length) {
        int i = offset;
        int end = offset + length;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            if (((long) LONGS.get(wire, i) & 0x8080808080808080L) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (wire[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** As the parser reads a field into its unknown fields; known fields read this way have the same cost. */
    private static void unknown(int tag, CodedInputStream in, int depth) throws IOException {
        switch (WireFormat.getTagWireType(tag)) {
            case WireFormat.WIRETYPE_VARINT -> in.readRawVarint64();
            case WireFormat.WIRETYPE_FIXED64 -> in.readRawLittleEndian64();
            case WireFormat.WIRETYPE_FIXED32 -> in.readRawLittleEndian32();
            case WireFormat.WIRETYPE_LENGTH_DELIMITED -> in.skipRawBytes(in.readRawVarint32());
            case WireFormat.WIRETYPE_START_GROUP -> group(WireFormat.getTagFieldNumber(tag), in, depth + 1);
            case WireFormat.WIRETYPE_END_GROUP ->
                    throw new InvalidProtocolBufferException("Protocol message end-group tag did not match expected tag.");
            default -> throw new InvalidProtocolBufferException("Protocol message tag had invalid wire type.");
        }
    }

    private static void group(int number, CodedInputStream in, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new InvalidProtocolBufferException("Protocol message had too many levels of nesting");
        }
        int end = number << 3 | WireFormat.WIRETYPE_END_GROUP;
        int tag;
        while ((tag = in.readTag()) != end) {
            if (tag == 0) {
                throw new InvalidProtocolBufferException("Protocol message end-group tag did not match expected tag.");
            }
            unknown(tag, in, depth);
        }
    }
}
