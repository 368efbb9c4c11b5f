package io.nines.collector.otlp;

import com.github.luben.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/** The {@code Content-Encoding}s a request body may come in. */
enum ContentCoding {
    IDENTITY,
    GZIP,
    /** The OpenTelemetry Collector's exporters offer zstd; zstd-jni comes with the Kafka client anyway. */
    ZSTD;

    private static final int INFLATE_BUFFER = 8 * 1024;

    /** The coding named by a {@code Content-Encoding} header; a missing header means identity. */
    static Optional<ContentCoding> of(String header) {
        if (header == null) {
            return Optional.of(IDENTITY);
        }
        return switch (header.trim().toLowerCase(Locale.ROOT)) {
            case "", "identity" -> Optional.of(IDENTITY);
            case "gzip", "x-gzip" -> Optional.of(GZIP);
            case "zstd" -> Optional.of(ZSTD);
            default -> Optional.empty();
        };
    }

    /** The body as sent, decoded on the fly; nothing is inflated beyond what the caller reads. */
    InputStream decode(InputStream body) throws IOException {
        return switch (this) {
            case IDENTITY -> body;
            case GZIP -> new GZIPInputStream(body, INFLATE_BUFFER);
            case ZSTD -> new ZstdInputStream(body);
        };
    }
}
