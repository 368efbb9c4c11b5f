package io.nines.query.http;

import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.UnsupportedMediaTypeResponse;
import io.nines.query.alerting.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/** Request bodies as UTF-8 text: refused by type (415) before they are read and by size (413) while they are read. */
final class Bodies {

    static final int MAX_BYTES = 1 << 20;
    static final Set<String> DOCUMENT_TYPES = Set.of("application/yaml", "application/x-yaml", "text/yaml",
            "application/json");
    static final Set<String> JSON = Set.of("application/json");

    private Bodies() {}

    static String text(Context ctx, Set<String> accepted, String what) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().split(";", 2)[0].strip()
                .toLowerCase(Locale.ROOT);
        if (!accepted.contains(type)) {
            throw new UnsupportedMediaTypeResponse(what + " is sent as " + String.join(" or ", accepted.stream()
                    .sorted().toList()) + ", not '" + Params.echo(type) + "'");
        }
        if (ctx.contentLength() > MAX_BYTES) {
            throw tooLarge(what);
        }
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed", e);
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(what);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException("(body)", "is not UTF-8 text");
        }
    }

    private static ContentTooLargeResponse tooLarge(String what) {
        return new ContentTooLargeResponse(what + " may hold at most " + MAX_BYTES + " bytes");
    }
}
