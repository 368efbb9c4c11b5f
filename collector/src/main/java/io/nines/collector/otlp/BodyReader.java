package io.nines.collector.otlp;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Reads a request body into memory, inflating gzip on the way, and never holds more than the limit. */
final class BodyReader {

    private static final int INFLATE_BUFFER = 64 * 1024;

    private final int limit;

    BodyReader(int limit) {
        if (limit < 1 || limit == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("limit must be in 1.." + (Integer.MAX_VALUE - 1) + " but was " + limit);
        }
        this.limit = limit;
    }

    /**
     * Stops at the first byte past the limit, so a gzip bomb costs at most {@code limit} bytes of inflating.
     *
     * @throws IOException for a body that is not valid gzip, or a client that went away
     */
    byte[] read(InputStream body, boolean gzip) throws IOException, PayloadTooLargeException {
        InputStream source = gzip ? new GZIPInputStream(body, INFLATE_BUFFER) : body;
        byte[] bytes = source.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw new PayloadTooLargeException(limit);
        }
        return bytes;
    }
}
