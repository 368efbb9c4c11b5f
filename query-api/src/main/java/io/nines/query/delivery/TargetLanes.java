package io.nines.query.delivery;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedThreadPoolBulkheadMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.nines.core.alerting.AlertTransition;
import io.nines.core.slo.NotificationTarget;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one transition to one target, each target in its own lane: a circuit breaker (a target that is down
 * fails fast instead of holding threads), a thread-pool bulkhead (a slow target uses its own few threads, never the
 * API's or another target's), and retries with exponential backoff and jitter that honour {@code Retry-After}.
 * Every attempt, and the final outcome, is recorded before the returned stage completes.
 */
final class TargetLanes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TargetLanes.class);
    private static final int MAX_ERROR_BODY = 200;

    private final DeliverySettings settings;
    private final HttpClient http;
    private final AttemptLog log;
    private final Payloads payloads;
    private final InstantSource clock;
    private final ScheduledExecutorService scheduler;
    private final CircuitBreakerRegistry breakers;
    private final ThreadPoolBulkheadRegistry bulkheads;
    private final RetryConfig retries;

    TargetLanes(DeliverySettings settings, AttemptLog log, InstantSource clock, ScheduledExecutorService scheduler,
            MeterRegistry registry) {
        this.settings = settings;
        this.log = log;
        this.clock = clock;
        this.scheduler = scheduler;
        this.payloads = new Payloads(settings.externalUrl());
        this.http = HttpClient.newBuilder().connectTimeout(settings.attemptTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(Math.max(10, settings.breakerMinimumCalls()))
                .minimumNumberOfCalls(settings.breakerMinimumCalls())
                .failureRateThreshold(50)
                .waitDurationInOpenState(settings.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(e -> e instanceof AttemptFailure.Exception f && f.failure().againstTarget())
                .build());
        this.bulkheads = ThreadPoolBulkheadRegistry.of(ThreadPoolBulkheadConfig.custom()
                .coreThreadPoolSize(settings.perTargetConcurrency())
                .maxThreadPoolSize(settings.perTargetConcurrency())
                .queueCapacity(settings.maxInFlight())
                .writableStackTraceEnabled(false)
                .build());
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(settings.firstBackoff(), 2.0, 0.5,
                settings.maxBackoff());
        this.retries = RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .intervalBiFunction((IntervalBiFunction<Object>) (attempt, outcome) -> outcome.isLeft()
                        ? delay(unwrap(outcome.getLeft()), backoff.apply(attempt)) : backoff.apply(attempt))
                .retryOnException(e -> retryable(unwrap(e)))
                .failAfterMaxAttempts(false)
                .build();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
        TaggedThreadPoolBulkheadMetrics.ofThreadPoolBulkheadRegistry(bulkheads).bindTo(registry);
    }

    /**
     * Sends {@code transition} to {@code target} until it is delivered, fails for good or runs out of attempts;
     * completes normally once the outcome is recorded, exceptionally only when it could not be recorded.
     */
    CompletionStage<Void> deliver(NotificationTarget target, AlertTransition transition) {
        CircuitBreaker breaker = breakers.circuitBreaker(target.name());
        ThreadPoolBulkhead bulkhead = bulkheads.bulkhead(target.name());
        Retry retry = Retry.of(target.name(), retries);
        HttpRequest request = request(target, transition);
        AtomicInteger attempts = new AtomicInteger();
        return retry.executeCompletionStage(scheduler, () -> {
            try {
                return bulkhead.executeSupplier(() -> attempt(target, transition, breaker, request,
                        attempts.incrementAndGet()));
            } catch (BulkheadFullException e) {
                return CompletableFuture.failedFuture(e);
            }
        }).handle((status, failure) -> {
            Throwable cause = failure == null ? null : unwrap(failure);
            if (cause instanceof AttemptFailure.NotRecordedException notRecorded) {
                throw notRecorded;
            }
            if (cause != null && !(cause instanceof AttemptFailure.Exception)) {
                // Only a full bulkhead gets here: the queue of this target stayed full through every attempt.
                record(target, transition, attempts.get(), AttemptLog.Outcome.FAILED, 0,
                        "bulkhead full: " + cause.getMessage(), 0);
            }
            return null;
        });
    }

    private int attempt(NotificationTarget target, AlertTransition transition, CircuitBreaker breaker,
            HttpRequest request, int attempt) {
        long started = System.nanoTime();
        int status;
        try {
            status = breaker.executeCallable(() -> send(target, request));
        } catch (Exception e) {
            AttemptFailure failure = classify(e, target);
            long millis = (System.nanoTime() - started) / 1_000_000;
            boolean last = !failure.retryable() || attempt >= settings.maxAttempts();
            record(target, transition, attempt, last ? AttemptLog.Outcome.FAILED : AttemptLog.Outcome.RETRY,
                    failure.statusCode(), failure.error(), millis);
            LOG.info("delivery of {} #{} to {} ({}) attempt {} failed{}: {}", transition.alertId(),
                    transition.sequence(), target.name(), target.redactedUrl(), attempt, last ? " for good" : "",
                    failure.error());
            throw new AttemptFailure.Exception(failure);
        }
        record(target, transition, attempt, AttemptLog.Outcome.DELIVERED, status, "",
                (System.nanoTime() - started) / 1_000_000);
        return status;
    }

    private int send(NotificationTarget target, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        int code = response.statusCode();
        if (code >= 200 && code < 300) {
            return code;
        }
        String body = response.body() == null ? "" : response.body().strip();
        throw new AttemptFailure.Exception(AttemptFailure.status(code,
                response.headers().firstValue("Retry-After").flatMap(TargetLanes::retryAfter),
                Redaction.scrub(body.length() > MAX_ERROR_BODY ? body.substring(0, MAX_ERROR_BODY) : body, target)));
    }

    private HttpRequest request(NotificationTarget target, AlertTransition transition) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.url())
                .timeout(settings.attemptTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Nines-Delivery/1")
                .POST(HttpRequest.BodyPublishers.ofString(payloads.body(target, transition)));
        target.headers().forEach(request::header);
        return request.build();
    }

    private void record(NotificationTarget target, AlertTransition transition, int attempt,
            AttemptLog.Outcome outcome, int status, String error, long millis) {
        try {
            log.record(new AttemptLog.Entry(transition, target.name(), target.kind().label(), attempt,
                    clock.instant(), outcome, status, error, millis));
        } catch (RuntimeException e) {
            throw new AttemptFailure.NotRecordedException(e);
        }
    }

    private static AttemptFailure classify(Exception e, NotificationTarget target) {
        if (e instanceof AttemptFailure.Exception failure) {
            return failure.failure();
        }
        if (e instanceof CallNotPermittedException) {
            return AttemptFailure.refused("circuit breaker open: the target failed too often recently");
        }
        if (e instanceof HttpTimeoutException) {
            return AttemptFailure.unreachable("timed out: " + Redaction.scrub(String.valueOf(e.getMessage()), target));
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return AttemptFailure.refused("interrupted: delivery is stopping");
        }
        return AttemptFailure.unreachable(e.getClass().getSimpleName() + ": "
                + Redaction.scrub(String.valueOf(e.getMessage()), target));
    }

    private long delay(Throwable failure, long backoff) {
        if (failure instanceof AttemptFailure.Exception f && f.failure().retryAfter().isPresent()) {
            Duration asked = f.failure().retryAfter().get();
            return (asked.compareTo(settings.maxRetryAfter()) < 0 ? asked : settings.maxRetryAfter()).toMillis();
        }
        return backoff;
    }

    private static boolean retryable(Throwable failure) {
        return failure instanceof BulkheadFullException
                || failure instanceof AttemptFailure.Exception f && f.failure().retryable();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** {@code Retry-After} in seconds; the HTTP-date form is rare for these APIs and read as "soon". */
    static Optional<Duration> retryAfter(String value) {
        try {
            long seconds = Long.parseLong(value.strip());
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        bulkheads.getAllBulkheads().forEach(bulkhead -> {
            try {
                bulkhead.close();
            } catch (Exception e) {
                LOG.warn("closing the bulkhead of {} failed", bulkhead.getName(), e);
            }
        });
    }
}
