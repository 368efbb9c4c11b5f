package io.nines.collector.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import com.google.rpc.Status;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Response bodies. Where the OTLP specification prescribes one (success, and failures of a request in a
 * known encoding) it is OTLP's, in the request's encoding: an export response or a {@code google.rpc.Status}.
 * Elsewhere (unknown path, method or media type) it is RFC 9457 problem+json like the rest of Nines.
 */
final class Answers {

    private static final String PROBLEM_JSON = "application/problem+json";

    private final ObjectMapper json;
    private final OtlpJson otlpJson;

    Answers(ObjectMapper json, OtlpJson otlpJson) {
        this.json = json;
        this.otlpJson = otlpJson;
    }

    /** RFC 9457 problem details. */
    record Problem(String type, String title, int status, String detail, String instance) {}

    void accepted(Context ctx, PayloadEncoding encoding, Message response) {
        ctx.status(200);
        write(ctx, encoding, response);
    }

    /** OTLP failure: the status code carries the meaning, the Status message helps whoever debugs the client. */
    void otlpFailure(Context ctx, PayloadEncoding encoding, int status, String message) {
        ctx.status(status);
        write(ctx, encoding, Status.newBuilder().setCode(grpcCode(status)).setMessage(message).build());
    }

    /** 429 or 503 with {@code Retry-After} in whole seconds, which OTLP clients honour before retrying. */
    void otlpRetryLater(Context ctx, PayloadEncoding encoding, int status, Duration retryAfter, String message) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        ctx.header("Retry-After", Long.toString(seconds));
        otlpFailure(ctx, encoding, status, message);
    }

    void problem(Context ctx, int status, String title, String detail) {
        Problem problem = new Problem("about:blank", title, status, detail, ctx.path());
        try {
            ctx.status(status).contentType(PROBLEM_JSON).result(json.writeValueAsBytes(problem));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(Context ctx, PayloadEncoding encoding, Message body) {
        ctx.contentType(encoding.mediaType());
        if (encoding == PayloadEncoding.JSON) {
            ctx.result(otlpJson.print(body).getBytes(StandardCharsets.UTF_8));
        } else {
            ctx.result(body.toByteArray());
        }
    }

    /** The gRPC code OTLP pairs with each HTTP status, so one Status reads the same on both transports. */
    private static int grpcCode(int httpStatus) {
        return switch (httpStatus) {
            case 400, 413 -> io.grpc.Status.Code.INVALID_ARGUMENT.value();
            case 401 -> io.grpc.Status.Code.UNAUTHENTICATED.value();
            case 429 -> io.grpc.Status.Code.RESOURCE_EXHAUSTED.value();
            case 503 -> io.grpc.Status.Code.UNAVAILABLE.value();
            default -> io.grpc.Status.Code.INTERNAL.value();
        };
    }
}
