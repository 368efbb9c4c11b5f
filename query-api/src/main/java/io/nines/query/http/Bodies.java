package io.nines.query.http;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.UnsupportedMediaTypeResponse;
import io.nines.query.alerting.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The one reader of request bodies: refused by type (415) before they are read, and by size (413) from
 * {@code Content-Length} and again while they are read, so a body without a length cannot grow past the limit.
 */
final class Bodies {

    static final int MAX_BYTES = 1 << 20;
    static final List<String> DOCUMENT_TYPES = List.of("application/yaml", "application/x-yaml", "text/yaml",
            "application/json");
    static final List<String> JSON = List.of("application/json");

    private Bodies() {}

    /** UTF-8 text of at most {@link #MAX_BYTES}; text that is not UTF-8 is an invalid request. */
    static String text(Context ctx, List<String> accepted, String what) {
        return utf8(bytes(ctx, accepted, what, MAX_BYTES),
                () -> new InvalidRequestException("(body)", "is not UTF-8 text"));
    }

    /**
     * The body's bytes.
     *
     * @param what the body as messages name it: "a silence"
     */
    static byte[] bytes(Context ctx, List<String> accepted, String what, int maxBytes) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().split(";", 2)[0].strip()
                .toLowerCase(Locale.ROOT);
        if (!accepted.contains(type)) {
            throw new UnsupportedMediaTypeResponse(what + " is sent as " + list(accepted) + ", not '"
                    + Params.echo(type) + "'");
        }
        // The long form: the servlet's int form says -1 (unknown) for a length past 2 GiB, which would be read.
        if (ctx.req().getContentLengthLong() > maxBytes) {
            throw tooLarge(what, maxBytes);
        }
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            // The client's fault (it stopped sending, or sent less than it announced), not a server failure.
            throw new BadRequestResponse("the request body could not be read: it ended before its Content-Length"
                    + " or arrived too slowly");
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(what, maxBytes);
        }
        return bytes;
    }

    /** Strict UTF-8: malformed input is refused with {@code invalid}, never replaced. */
    static String utf8(byte[] bytes, Supplier<RuntimeException> invalid) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw invalid.get();
        }
    }

    private static String list(List<String> types) {
        return types.size() == 1 ? types.get(0)
                : String.join(", ", types.subList(0, types.size() - 1)) + " or " + types.get(types.size() - 1);
    }

    private static ContentTooLargeResponse tooLarge(String what, int maxBytes) {
        return new ContentTooLargeResponse(what + " may hold at most " + maxBytes + " bytes");
    }
}
