package io.nines.collector.grpc;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Takes request messages as the bytes they came in (gRPC has already decompressed them and enforced the
 * size limit). The handler parses them itself: so that malformed input is answered INVALID_ARGUMENT as
 * OTLP asks, and so that records can reuse the bytes instead of serializing the request again.
 */
final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {

    @Override
    public InputStream stream(byte[] value) {
        return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
        try {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
