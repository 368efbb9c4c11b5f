package io.nines.collector.otlp;

import io.nines.collector.admission.Refused;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a request body into memory, decoding it on the way, never holding more than the limit and taking
 * every byte it holds from the in-flight budget before it reads it.
 */
final class BodyReader {

    /** Takes bytes from the in-flight budget, or refuses. */
    @FunctionalInterface
    interface Reservation {
        Reservation NONE = bytes -> { };

        void take(long bytes) throws Refused;
    }

    private static final int CHUNK = 64 * 1024;

    private final int limit;

    BodyReader(int limit) {
        if (limit < 1 || limit == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("limit must be in 1.." + (Integer.MAX_VALUE - 1) + " but was " + limit);
        }
        this.limit = limit;
    }

    /** For callers outside any budget (tests, benchmarks). */
    byte[] read(InputStream body, boolean gzip) throws IOException, PayloadTooLargeException {
        try {
            return read(body, gzip ? ContentCoding.GZIP : ContentCoding.IDENTITY, -1, Reservation.NONE);
        } catch (Refused e) {
            throw new IllegalStateException("no budget, so nothing refuses", e);
        }
    }

    /** Refuses a body whose {@code Content-Length} alone is over the limit, before anything of it is read. */
    private void refuseDeclared(ContentCoding coding, long declaredLength) throws PayloadTooLargeException {
        if (coding == ContentCoding.IDENTITY && declaredLength > limit) {
            throw new PayloadTooLargeException(limit);
        }
    }

    /**
     * Stops at the first byte past the limit, so a gzip bomb costs at most {@code limit} bytes of inflating.
     *
     * @param declaredLength the body's {@code Content-Length}, or -1 when unknown (chunked)
     * @throws IOException for a body that does not decode, or a client that went away
     */
    byte[] read(InputStream body, ContentCoding coding, long declaredLength, Reservation reservation)
            throws IOException, PayloadTooLargeException, Refused {
        refuseDeclared(coding, declaredLength);
        if (coding == ContentCoding.IDENTITY && declaredLength >= 0) {
            reservation.take(declaredLength);
            byte[] bytes = body.readNBytes((int) declaredLength);
            if (bytes.length < declaredLength) {
                throw new IOException("body ended after " + bytes.length + " of " + declaredLength + " bytes");
            }
            return bytes;
        }
        InputStream source = coding.decode(body);
        List<byte[]> chunks = new ArrayList<>();
        int total = 0;
        while (true) {
            int room = Math.min(CHUNK, limit + 1 - total);
            reservation.take(room);
            byte[] chunk = source.readNBytes(room);
            if (chunk.length > 0) {
                chunks.add(chunk);
                total += chunk.length;
            }
            if (total > limit) {
                throw new PayloadTooLargeException(limit);
            }
            if (chunk.length < room) {
                break;
            }
        }
        byte[] bytes = new byte[total];
        int offset = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, bytes, offset, chunk.length);
            offset += chunk.length;
        }
        return bytes;
    }
}
