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
    /**
     * How much of a refused body is read and dropped before the 413 goes out. A server that answers and closes with
     * unread bytes in the socket makes the kernel send a reset, which can destroy the answer before the client
     * reads it; past this the client is refused without that courtesy.
     */
    static final long DRAIN_LIMIT = 8L << 20;
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
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            if (declared <= DRAIN_LIMIT) {
                drain(ctx, false);
            }
            throw tooLarge(what, maxBytes);
        }
        byte[] bytes;
        try {
            // Not closed here: the container owns the request's stream, and a refusal still drains it.
            InputStream in = ctx.bodyInputStream();
            bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                drain(ctx, true);
                throw tooLarge(what, maxBytes);
            }
        } catch (IOException e) {
            // The client's fault (it stopped sending, or sent less than it announced), not a server failure.
            throw new BadRequestResponse("the request body could not be read: it ended before its Content-Length"
                    + " or arrived too slowly");
        }
        return bytes;
    }

    /**
     * Reads and drops what the client is still sending, up to {@link #DRAIN_LIMIT}. Not for a client that sent
     * {@code Expect: 100-continue} and was not yet invited to upload: Jetty invites it when the body's stream is
     * opened, and it has sent nothing the answer could be lost behind.
     */
    private static void drain(Context ctx, boolean uploadInvited) {
        if (!uploadInvited && "100-continue".equalsIgnoreCase(ctx.header("Expect"))) {
            return;
        }
        try {
            InputStream in = ctx.bodyInputStream();
            long left = DRAIN_LIMIT;
            byte[] buffer = new byte[64 * 1024];
            int read;
            while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                left -= read;
            }
        } catch (IOException e) {
            // the client stopped sending or went away: nothing is left to protect the answer from
        }
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
