package io.nines.collector.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.rpc.Status;
import io.javalin.http.Context;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Response bodies. Where the OTLP specification prescribes one (success, and failures of a request in a
 * known encoding) it is OTLP's: an export response or a {@code google.rpc.Status}. Elsewhere (unknown
 * path, method or media type) it is RFC 9457 problem+json like the rest of Nines.
 */
final class Answers {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final byte[] EMPTY_TRACE_RESPONSE = ExportTraceServiceResponse.getDefaultInstance().toByteArray();

    private final ObjectMapper json;

    Answers(ObjectMapper json) {
        this.json = json;
    }

    /** RFC 9457 problem details. */
    record Problem(String type, String title, int status, String detail, String instance) {}

    void tracesAccepted(Context ctx, PayloadEncoding encoding) {
        ctx.status(200).contentType(encoding.mediaType()).result(EMPTY_TRACE_RESPONSE);
    }

    /** OTLP failure: the status code carries the meaning, the Status message helps whoever debugs the client. */
    void otlpFailure(Context ctx, PayloadEncoding encoding, int status, String message) {
        Status body = Status.newBuilder().setMessage(message).build();
        ctx.status(status).contentType(encoding.mediaType()).result(body.toByteArray());
    }

    /** 503 with {@code Retry-After}, which OTLP clients honour before retrying. */
    void otlpRetryLater(Context ctx, PayloadEncoding encoding, Duration retryAfter, String message) {
        ctx.header("Retry-After", Long.toString(retryAfter.toSeconds()));
        otlpFailure(ctx, encoding, 503, message);
    }

    void problem(Context ctx, int status, String title, String detail) {
        Problem problem = new Problem("about:blank", title, status, detail, ctx.path());
        try {
            ctx.status(status).contentType(PROBLEM_JSON).result(json.writeValueAsBytes(problem));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
