package io.nines.collector.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.nines.collector.admission.Gate;
import io.nines.collector.admission.Refused;
import io.nines.collector.pipeline.DeliveryException;
import io.nines.collector.pipeline.Ingest;
import io.nines.collector.pipeline.IngestResult;
import io.nines.collector.pipeline.Signal;
import io.nines.collector.telemetry.CollectorMetrics;
import io.nines.collector.telemetry.Refusal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One signal's {@code Export} call: the same gate and ingest as OTLP/HTTP, answered with the gRPC codes
 * OTLP prescribes: INVALID_ARGUMENT for bad data, UNAUTHENTICATED, UNAVAILABLE with a RetryInfo detail when
 * Kafka or the in-flight budget cannot take the data, RESOURCE_EXHAUSTED with a RetryInfo detail when the
 * token's rate is spent, and partial success in the response.
 *
 * @param <R> the export request
 * @param <S> the export response
 */
final class GrpcExport<R extends Message, S extends Message> implements ServerCalls.UnaryMethod<byte[], S> {

    private static final String TRANSPORT = "grpc";
    private static final Logger LOG = LoggerFactory.getLogger(GrpcExport.class);

    private final Ingest<R> ingest;
    private final Function<IngestResult, S> response;
    private final Gate gate;
    private final CollectorMetrics metrics;
    private final Executor responses;

    /** @param responses where answers are written, so that Kafka's I/O thread never does it */
    GrpcExport(Ingest<R> ingest, Function<IngestResult, S> response, Gate gate,
            CollectorMetrics metrics, Executor responses) {
        this.ingest = ingest;
        this.response = response;
        this.gate = gate;
        this.metrics = metrics;
        this.responses = responses;
    }

    Signal signal() {
        return ingest.signal();
    }

    @Override
    public void invoke(byte[] body, StreamObserver<S> observer) {
        Signal signal = ingest.signal();
        Gate.Pass pass;
        try {
            pass = gate.enter(TokenInterceptor.TOKEN.get());
        } catch (Refused e) {
            metrics.refusedRequest(signal, TRANSPORT, e.reason());
            observer.onError(refusal(e));
            return;
        }
        boolean handedOff = false;
        try {
            Ingest.Decoded<R> request;
            try {
                pass.reserve(body.length);
                metrics.received(signal, TRANSPORT, body.length);
                request = ingest.decode(body);
            } catch (Refused e) {
                metrics.refusedRequest(signal, TRANSPORT, e.reason());
                observer.onError(refusal(e));
                return;
            } catch (InvalidProtocolBufferException e) {
                metrics.refusedRequest(signal, TRANSPORT, Refusal.MALFORMED);
                observer.onError(status(Code.INVALID_ARGUMENT, "not a valid export request: " + e.getMessage(), null));
                return;
            }
            int items = request.items();
            try {
                pass.take(items);
            } catch (Refused e) {
                metrics.refusedItems(signal, TRANSPORT, e.reason(), items);
                observer.onError(refusal(e));
                return;
            }
            Gate.Pass admitted = pass;
            CompletableFuture<IngestResult> delivered;
            try {
                delivered = ingest.export(request, pass.headers());
            } catch (RuntimeException e) {
                // answered here, or the client would wait out its deadline for an answer that never comes
                LOG.atError().setCause(e).addKeyValue("signal", signal.tag()).log("Export failed unexpectedly");
                metrics.refusedItems(signal, TRANSPORT, Refusal.INTERNAL_ERROR, items);
                observer.onError(status(Code.INTERNAL, "the collector failed on this request", null));
                return;
            }
            delivered.whenCompleteAsync((result, error) -> {
                try {
                    answer(observer, items, result, error);
                } finally {
                    admitted.close();
                }
            }, responses);
            handedOff = true;
        } finally {
            if (!handedOff) {
                pass.close();
            }
        }
    }

    private void answer(StreamObserver<S> observer, int items, IngestResult result, Throwable error) {
        Signal signal = ingest.signal();
        if (error == null) {
            metrics.accepted(signal, TRANSPORT, result.accepted(), result.rejections());
            observer.onNext(response.apply(result));
            observer.onCompleted();
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof DeliveryException delivery
                && delivery.reason() == DeliveryException.Reason.RECORD_TOO_LARGE) {
            metrics.refusedItems(signal, TRANSPORT, Refusal.RECORD_TOO_LARGE, items);
            observer.onError(status(Code.INVALID_ARGUMENT, "an item is larger than the collector can store", null));
            return;
        }
        metrics.refusedItems(signal, TRANSPORT, Refusal.SINK_UNAVAILABLE, items);
        LOG.atWarn().addKeyValue("signal", signal.tag()).addKeyValue("items", items)
                .addKeyValue("error", cause.getMessage()).log("Refused: Kafka did not acknowledge in time");
        observer.onError(status(Code.UNAVAILABLE, DeliveryException.NOT_ACKNOWLEDGED, gate.retryAfter()));
    }

    private static StatusRuntimeException refusal(Refused refused) {
        return switch (refused.reason()) {
            case UNAUTHENTICATED -> status(Code.UNAUTHENTICATED, refused.getMessage(), null);
            case RATE_LIMITED -> status(Code.RESOURCE_EXHAUSTED, refused.getMessage(), refused.retryAfter());
            default -> status(Code.UNAVAILABLE, refused.getMessage(), refused.retryAfter());
        };
    }

    /** A status whose {@code google.rpc.Status} travels in the trailers, with a RetryInfo when a retry helps. */
    private static StatusRuntimeException status(Code code, String message, Duration retryAfter) {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(code.getNumber()).setMessage(message);
        if (retryAfter != null) {
            status.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
                    .setSeconds(retryAfter.getSeconds()).setNanos(retryAfter.getNano())).build()));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }
}
