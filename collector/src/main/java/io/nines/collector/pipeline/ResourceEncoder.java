package io.nines.collector.pipeline;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes a request the way the OpenTelemetry Collector's Kafka exporter does with {@code otlp_proto}: each
 * record value is a serialized export request, here one per resource keyed by its {@code service.name}, so
 * that consumers see one service's data in order. A resource larger than {@code maxRecordBytes} is cut into
 * several records of the same resource, because Kafka refuses oversized records for good.
 *
 * <p>When the request arrived as protobuf and every item in it is valid, a resource's record is a copy of
 * its bytes as they came (a serialized request holding one resource is exactly field 1 and that resource),
 * which saves re-serializing the data: the largest cost after parsing.
 */
final class ResourceEncoder<R extends Message, RS extends Message> {

    static final String SERVICE_NAME = "service.name";
    static final String UNKNOWN_SERVICE = "unknown_service";

    /** Bytes for the resource's own tag and length prefix in the request, and the resource prefix's growth. */
    private static final int NESTING_HEADROOM = 18;
    private static final int RESOURCES_FIELD = 1;
    private static final int SCOPES_FIELD = 2;
    private static final int ITEMS_FIELD = 2;
    /** Field 1, length-delimited: how protobuf tags each resource in the request. */
    private static final int RESOURCE_TAG = RESOURCES_FIELD << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private final Layout<R, RS> layout;
    private final int maxRecordBytes;

    ResourceEncoder(Layout<R, RS> layout, int maxRecordBytes) {
        if (maxRecordBytes < 1024) {
            throw new IllegalArgumentException("maxRecordBytes must be >= 1024 but was " + maxRecordBytes);
        }
        this.layout = layout;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Records for a request; resources without items carry nothing worth keeping and are left out. */
    List<OutboundRecord> encode(R request) {
        List<RS> resources = layout.resources(request);
        List<OutboundRecord> records = new ArrayList<>(resources.size());
        for (RS resource : resources) {
            int items = layout.items(resource);
            if (items > 0) {
                R single = layout.wrap(resource);
                add(resource, items, single.getSerializedSize() <= maxRecordBytes ? single.toByteArray() : null, records);
            }
        }
        return records;
    }

    /**
     * Like {@link #encode(Object)}, reusing {@code wire}, the bytes {@code request} was parsed from; the records
     * may hold {@code wire} itself, so the caller must not change it afterwards.
     */
    List<OutboundRecord> encode(R request, byte[] wire) {
        List<RS> resources = layout.resources(request);
        List<int[]> slices = resourceSlices(wire);
        if (slices.size() != resources.size()) {
            return encode(request);
        }
        List<OutboundRecord> records = new ArrayList<>(resources.size());
        for (int i = 0; i < resources.size(); i++) {
            RS resource = resources.get(i);
            int items = layout.items(resource);
            if (items > 0) {
                int[] slice = slices.get(i);
                boolean fits = slice[1] - slice[0] <= maxRecordBytes;
                // the usual request (one resource, nothing else) is its own record: no copy at all
                boolean whole = slice[0] == 0 && slice[1] == wire.length;
                add(resource, items, !fits ? null : whole ? wire : Arrays.copyOfRange(wire, slice[0], slice[1]), records);
            }
        }
        return records;
    }

    /** Records of a scanned request whose resources all fit a record: each its bytes as they came. */
    static List<OutboundRecord> encode(byte[] wire, List<TraceScan.Slice> slices) {
        List<OutboundRecord> records = new ArrayList<>(slices.size());
        for (TraceScan.Slice slice : slices) {
            if (slice.spans() > 0) {
                boolean whole = slice.start() == 0 && slice.end() == wire.length;
                records.add(new OutboundRecord(slice.serviceName(),
                        whole ? wire : Arrays.copyOfRange(wire, slice.start(), slice.end()), slice.spans()));
            }
        }
        return records;
    }

    int maxRecordBytes() {
        return maxRecordBytes;
    }

    private void add(RS resource, int items, byte[] whole, List<OutboundRecord> records) {
        String key = serviceName(layout.resource(resource));
        if (whole != null) {
            records.add(new OutboundRecord(key, whole, items));
        } else {
            split(resource, key, records);
        }
    }

    /** {@code [start, end)} of each field-1 entry (tag included) in the order they appear. */
    private static List<int[]> resourceSlices(byte[] wire) {
        List<int[]> slices = new ArrayList<>();
        CodedInputStream in = CodedInputStream.newInstance(wire);
        try {
            while (true) {
                int start = in.getTotalBytesRead();
                int tag = in.readTag();
                if (tag == 0) {
                    return slices;
                }
                if (tag == RESOURCE_TAG) {
                    in.skipRawBytes(in.readRawVarint32());
                    slices.add(new int[] {start, in.getTotalBytesRead()});
                } else {
                    in.skipField(tag);
                }
            }
        } catch (IOException e) {
            // the request parsed from these bytes, so this cannot happen; the slow path is always right
            return List.of();
        }
    }

    static String serviceName(Resource resource) {
        for (KeyValue attribute : resource.getAttributesList()) {
            if (SERVICE_NAME.equals(attribute.getKey())
                    && attribute.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE
                    && !attribute.getValue().getStringValue().isEmpty()) {
                return attribute.getValue().getStringValue();
            }
        }
        return UNKNOWN_SERVICE;
    }

    /** Reflection keeps one splitter for all signals; it only runs for resources over the record limit. */
    private void split(RS resource, String key, List<OutboundRecord> out) {
        FieldDescriptor scopesField = resource.getDescriptorForType().findFieldByNumber(SCOPES_FIELD);
        Message header = resource.toBuilder().clearField(scopesField).build();
        int headerBytes = header.getSerializedSize() + NESTING_HEADROOM;
        Message.Builder chunk = header.toBuilder();
        int chunkBytes = headerBytes;
        int chunkElements = 0;
        int chunkItems = 0;
        for (Object scopeObject : (List<?>) resource.getField(scopesField)) {
            Message scope = (Message) scopeObject;
            FieldDescriptor itemsField = scope.getDescriptorForType().findFieldByNumber(ITEMS_FIELD);
            Message scopeHeader = scope.toBuilder().clearField(itemsField).build();
            // its length prefix grows by up to 4 bytes once the items are in
            int scopeBytes = CodedOutputStream.computeMessageSize(SCOPES_FIELD, scopeHeader) + 4;
            Message.Builder scopeChunk = scopeHeader.toBuilder();
            int scopeChunkElements = 0;
            chunkBytes += scopeBytes;
            for (Object elementObject : (List<?>) scope.getField(itemsField)) {
                Message element = (Message) elementObject;
                int elementBytes = CodedOutputStream.computeMessageSize(ITEMS_FIELD, element);
                if (chunkElements > 0 && chunkBytes + elementBytes > maxRecordBytes) {
                    if (scopeChunkElements > 0) {
                        chunk.addRepeatedField(scopesField, scopeChunk.build());
                    }
                    out.add(new OutboundRecord(key, wrapped(chunk), chunkItems));
                    chunk = header.toBuilder();
                    scopeChunk = scopeHeader.toBuilder();
                    scopeChunkElements = 0;
                    chunkBytes = headerBytes + scopeBytes;
                    chunkElements = 0;
                    chunkItems = 0;
                }
                scopeChunk.addRepeatedField(itemsField, element);
                scopeChunkElements++;
                chunkBytes += elementBytes;
                chunkElements++;
                chunkItems += layout.elementItems(element);
            }
            if (scopeChunkElements > 0) {
                chunk.addRepeatedField(scopesField, scopeChunk.build());
            }
        }
        if (chunkElements > 0) {
            out.add(new OutboundRecord(key, wrapped(chunk), chunkItems));
        }
    }

    @SuppressWarnings("unchecked") // the builder came from an RS, so it builds an RS
    private byte[] wrapped(Message.Builder resource) {
        return layout.wrap((RS) resource.build()).toByteArray();
    }
}
