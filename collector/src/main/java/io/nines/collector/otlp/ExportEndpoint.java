package io.nines.collector.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.nines.collector.admission.Gate;
import io.nines.collector.admission.Refused;
import io.nines.collector.pipeline.DeliveryException;
import io.nines.collector.pipeline.Ingest;
import io.nines.collector.pipeline.IngestResult;
import io.nines.collector.pipeline.Signal;
import io.nines.collector.telemetry.CollectorMetrics;
import io.nines.collector.telemetry.Refusal;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/traces}, {@code /v1/metrics} or {@code /v1/logs}: checks the request at the {@link Gate},
 * reads and decodes it, and acknowledges it only once Kafka holds all of its valid items.
 */
final class ExportEndpoint<R extends Message> implements Handler {

    /** How much of a refused body is read and dropped so that its sender still receives the answer. */
    private static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    private static final String TRANSPORT = "http";
    /** Request attribute set once the body's stream is opened, which sends 100 Continue to an expecting client. */
    private static final String BODY_READ = "nines.bodyRead";
    private static final String BEARER = "bearer ";
    private static final Logger LOG = LoggerFactory.getLogger(ExportEndpoint.class);

    private final Ingest<R> ingest;
    private final Supplier<Message.Builder> jsonBuilder;
    private final Gate gate;
    private final BodyReader bodyReader;
    private final OtlpJson json;
    private final CollectorMetrics metrics;
    private final Answers answers;
    private final Executor responses;

    /**
     * @param jsonBuilder a fresh builder of {@code R}, for JSON bodies
     * @param responses   where answers are written, so that Kafka's I/O thread never does it
     */
    ExportEndpoint(Ingest<R> ingest, Supplier<Message.Builder> jsonBuilder, Gate gate,
            BodyReader bodyReader, OtlpJson json, CollectorMetrics metrics, Answers answers, Executor responses) {
        this.ingest = ingest;
        this.jsonBuilder = jsonBuilder;
        this.gate = gate;
        this.bodyReader = bodyReader;
        this.json = json;
        this.metrics = metrics;
        this.answers = answers;
        this.responses = responses;
    }

    Signal signal() {
        return ingest.signal();
    }

    String path() {
        return "/v1/" + ingest.signal().tag();
    }

    @Override
    public void handle(Context ctx) {
        Signal signal = ingest.signal();
        Optional<PayloadEncoding> encoding = PayloadEncoding.of(ctx.contentType());
        if (encoding.isEmpty()) {
            refuse(ctx, Refusal.UNSUPPORTED_MEDIA_TYPE);
            answers.problem(ctx, 415, "Unsupported Media Type", "Content-Type must be application/x-protobuf or "
                    + "application/json but was " + (ctx.contentType() == null ? "missing" : "'" + ctx.contentType() + "'"));
            return;
        }
        Optional<ContentCoding> coding = ContentCoding.of(ctx.header("Content-Encoding"));
        if (coding.isEmpty()) {
            refuse(ctx, Refusal.UNSUPPORTED_MEDIA_TYPE);
            answers.problem(ctx, 415, "Unsupported Media Type", "Content-Encoding must be gzip, zstd or identity but was '"
                    + ctx.header("Content-Encoding") + "'");
            return;
        }
        Gate.Pass pass;
        try {
            pass = gate.enter(token(ctx));
        } catch (Refused e) {
            refuse(ctx, e.reason());
            answerRefused(ctx, encoding.get(), e);
            return;
        }
        boolean handedOff = false;
        try {
            handedOff = readAndExport(ctx, encoding.get(), coding.get(), pass, signal);
        } finally {
            if (!handedOff) {
                pass.close();
            }
        }
    }

    /**
     * Reads and drops what the client is still sending (up to {@link #DRAIN_LIMIT}) before any refusal: a server that
     * answers and closes with unread bytes in the socket makes the kernel send a reset, which can destroy the
     * answer before the client reads it, and the client then sees a broken connection instead of 413. A client
     * that sent {@code Expect: 100-continue} and was not yet invited to send (Jetty sends 100 Continue when the
     * body's stream is opened) sends nothing before the answer: reading would invite the very upload being refused.
     */
    private static void drainUnread(Context ctx) {
        if (ctx.attribute(BODY_READ) == null && "100-continue".equalsIgnoreCase(ctx.header("Expect"))) {
            return;
        }
        byte[] buffer = new byte[64 * 1024];
        long left = DRAIN_LIMIT;
        try {
            InputStream body = ctx.bodyInputStream();
            int read;
            while (left > 0 && (read = body.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                left -= read;
            }
        } catch (IOException | RuntimeException e) {
            // the client stopped sending or went away: there is nothing left to protect the answer from
        }
    }

    /**
     * The body, opened at its first read, when the request is marked as read: Jetty's servlet layer sends 100 Continue
     * to a client that expects it as soon as the input stream is opened, so opening it before a refusal that needs
     * no byte of the body (a Content-Length over the limit, or more than the in-flight budget has left) would invite
     * the upload being refused.
     */
    private static InputStream openedOnFirstRead(Context ctx) {
        return new InputStream() {
            private InputStream body;

            @Override
            public int read() throws IOException {
                return body().read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                return body().read(buffer, offset, length);
            }

            private InputStream body() {
                if (body == null) {
                    ctx.attribute(BODY_READ, Boolean.TRUE);
                    body = ctx.bodyInputStream();
                }
                return body;
            }
        };
    }

    /** @return whether the answer (and closing the pass) was handed to the export's completion */
    private boolean readAndExport(Context ctx, PayloadEncoding encoding, ContentCoding coding, Gate.Pass pass,
            Signal signal) {
        Ingest.Decoded<R> request;
        try {
            long declaredLength = ctx.req().getContentLengthLong();
            byte[] body = bodyReader.read(openedOnFirstRead(ctx), coding, declaredLength, pass::reserve);
            metrics.received(signal, TRANSPORT, body.length);
            request = decode(encoding, body);
        } catch (PayloadTooLargeException e) {
            refuse(ctx, Refusal.TOO_LARGE);
            answers.otlpFailure(ctx, encoding, 413, e.getMessage());
            return false;
        } catch (InvalidProtocolBufferException e) {
            refuse(ctx, Refusal.MALFORMED);
            answers.otlpFailure(ctx, encoding, 400, "not a valid " + requestName() + ": " + e.getMessage());
            return false;
        } catch (IOException e) {
            refuse(ctx, Refusal.MALFORMED);
            answers.otlpFailure(ctx, encoding, 400, "unreadable request body: " + e.getMessage());
            return false;
        } catch (Refused e) {
            refuse(ctx, e.reason());
            answerRefused(ctx, encoding, e);
            return false;
        }
        int items = request.items();
        try {
            pass.take(items);
        } catch (Refused e) {
            metrics.refusedItems(signal, TRANSPORT, e.reason(), items);
            answerRefused(ctx, encoding, e);
            return false;
        }
        CompletableFuture<IngestResult> delivered = ingest.export(request, pass.headers());
        ctx.future(() -> delivered.handleAsync((result, error) -> {
            try {
                answer(ctx, encoding, items, result, error);
            } finally {
                pass.close();
            }
            return null;
        }, responses));
        return true;
    }

    private Ingest.Decoded<R> decode(PayloadEncoding encoding, byte[] body) throws InvalidProtocolBufferException {
        if (encoding == PayloadEncoding.PROTOBUF) {
            return ingest.decode(body);
        }
        Message.Builder builder = jsonBuilder.get();
        json.merge(body, builder);
        @SuppressWarnings("unchecked") // the builder supplier builds R
        R request = (R) builder.build();
        return ingest.decoded(request);
    }

    private void answer(Context ctx, PayloadEncoding encoding, int items, IngestResult result, Throwable error) {
        Signal signal = ingest.signal();
        if (error == null) {
            metrics.accepted(signal, TRANSPORT, result.accepted(), result.rejections());
            if (result.rejected() > 0) {
                LOG.atInfo().addKeyValue("signal", signal.tag()).addKeyValue("accepted", result.accepted())
                        .addKeyValue("rejected", result.rejected()).addKeyValue("reasons", result.rejections().keySet())
                        .log("Partially accepted");
            }
            answers.accepted(ctx, encoding, OtlpResponses.of(result));
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof DeliveryException delivery
                && delivery.reason() == DeliveryException.Reason.RECORD_TOO_LARGE) {
            metrics.refusedItems(signal, TRANSPORT, Refusal.RECORD_TOO_LARGE, items);
            LOG.atWarn().addKeyValue("signal", signal.tag()).addKeyValue("items", items)
                    .addKeyValue("error", cause.getMessage()).log("Refused: an item is larger than Kafka accepts");
            answers.otlpFailure(ctx, encoding, 413, "a " + itemName() + " is larger than the collector can store");
            return;
        }
        metrics.refusedItems(signal, TRANSPORT, Refusal.SINK_UNAVAILABLE, items);
        LOG.atWarn().addKeyValue("signal", signal.tag()).addKeyValue("items", items)
                .addKeyValue("error", cause.getMessage()).log("Refused: Kafka did not acknowledge in time");
        answers.otlpRetryLater(ctx, encoding, 503, gate.retryAfter(), DeliveryException.NOT_ACKNOWLEDGED);
    }

    private void answerRefused(Context ctx, PayloadEncoding encoding, Refused refused) {
        switch (refused.reason()) {
            case UNAUTHENTICATED -> {
                ctx.header("WWW-Authenticate", "Bearer");
                answers.otlpFailure(ctx, encoding, 401, refused.getMessage());
            }
            case RATE_LIMITED, OVER_BUDGET ->
                    answers.otlpRetryLater(ctx, encoding, 429, refused.retryAfter(), refused.getMessage());
            default -> answers.otlpRetryLater(ctx, encoding, 503, refused.retryAfter(), refused.getMessage());
        }
    }

    /** {@code Authorization: Bearer <token>}, else {@code x-nines-token}; null when neither is there. */
    static String token(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.length() > BEARER.length()
                && authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return authorization.substring(BEARER.length()).trim();
        }
        return ctx.header("x-nines-token");
    }

    private String requestName() {
        return switch (ingest.signal()) {
            case TRACES -> "ExportTraceServiceRequest";
            case METRICS -> "ExportMetricsServiceRequest";
            case LOGS -> "ExportLogsServiceRequest";
        };
    }

    private String itemName() {
        return switch (ingest.signal()) {
            case TRACES -> "span";
            case METRICS -> "metric";
            case LOGS -> "log record";
        };
    }

    /** Counts a refusal and readies the connection for the early answer that follows it. */
    private void refuse(Context ctx, Refusal reason) {
        drainUnread(ctx);
        metrics.refusedRequest(ingest.signal(), TRANSPORT, reason);
        LOG.atDebug().addKeyValue("signal", ingest.signal().tag()).addKeyValue("reason", reason.tag())
                .addKeyValue("contentType", ctx.contentType())
                .addKeyValue("contentLength", ctx.req().getContentLengthLong()).log("Request refused");
    }
}
