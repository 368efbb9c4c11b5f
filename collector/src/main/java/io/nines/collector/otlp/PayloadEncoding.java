package io.nines.collector.otlp;

import java.util.Locale;
import java.util.Optional;

/** The OTLP/HTTP body encodings; answers go out in the encoding the request came in. */
enum PayloadEncoding {
    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    private final String mediaType;

    PayloadEncoding(String mediaType) {
        this.mediaType = mediaType;
    }

    String mediaType() {
        return mediaType;
    }

    /** The encoding named by a {@code Content-Type} header, parameters ignored. */
    static Optional<PayloadEncoding> of(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            // application/protobuf is the registered name (RFC 9110 era); some clients send it
            case "application/x-protobuf", "application/protobuf" -> Optional.of(PROTOBUF);
            case "application/json" -> Optional.of(JSON);
            default -> Optional.empty();
        };
    }
}
