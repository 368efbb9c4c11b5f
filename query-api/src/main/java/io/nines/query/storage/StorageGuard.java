package io.nines.query.storage;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker around ClickHouse, and retries for reads.
 *
 * <p>Only failures to reach ClickHouse count: refused or broken connections, timeouts, an exhausted pool. An
 * error ClickHouse answered (a SQL error) says nothing about its health, so it neither opens the breaker nor
 * is retried. Reads are idempotent and retried with jittered backoff, but only when ClickHouse could not be
 * reached: a timeout means it is struggling, and asking again would add load and outlast the caller's own
 * time limit (the stale cache answers instead). Writes are tried once, so that a caller learns at once that a
 * change was not made.
 */
public final class StorageGuard {

    private static final Logger LOG = LoggerFactory.getLogger(StorageGuard.class);
    private static final List<String> OVERLOAD = List.of("TIMEOUT_EXCEEDED", "TOO_MANY_SIMULTANEOUS_QUERIES",
            "MEMORY_LIMIT_EXCEEDED");

    /** The longest backoff between two attempts of a read; part of the read retry budget. */
    public static final Duration MAX_BACKOFF = Duration.ofMillis(500);

    private final CircuitBreaker breaker;
    private final Retry reads;

    /** @param readAttempts tries per read, including the first, when ClickHouse cannot be reached */
    public StorageGuard(Duration openStateWait, int readAttempts, MeterRegistry registry) {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(openStateWait)
                .permittedNumberOfCallsInHalfOpenState(2)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordException(StorageGuard::unreachable)
                .build());
        this.breaker = breakers.circuitBreaker("clickhouse");
        this.breaker.getEventPublisher().onStateTransition(event ->
                LOG.warn("ClickHouse circuit breaker: {}", event.getStateTransition()));
        RetryRegistry retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(readAttempts)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(50), 2.0, 0.5,
                        MAX_BACKOFF))
                .retryOnException(failure -> unreachable(failure) && !timedOut(failure))
                .build());
        this.reads = retries.retry("clickhouse-reads");
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(registry);
    }

    /** Whether the breaker currently refuses calls. */
    public boolean open() {
        return breaker.getState() == CircuitBreaker.State.OPEN;
    }

    public String state() {
        return breaker.getState().name();
    }

    <T> T read(Supplier<T> call) {
        return Retry.decorateSupplier(reads, () -> guarded(call)).get();
    }

    <T> T write(Supplier<T> call) {
        return guarded(call);
    }

    private <T> T guarded(Supplier<T> call) {
        try {
            return breaker.executeSupplier(call);
        } catch (CallNotPermittedException e) {
            throw new StorageUnavailableException("the ClickHouse circuit breaker is open", e);
        }
    }

    /** Whether {@code failure} is a timeout: the driver gave up waiting, or the server ended a slow query. */
    static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTimeoutException || cause instanceof TimeoutException
                    || cause instanceof SocketTimeoutException
                    || String.valueOf(cause.getMessage()).contains("TIMEOUT_EXCEEDED")) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** Whether {@code failure} means ClickHouse could not be reached, as opposed to an answered error. */
    static boolean unreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getClass().getSimpleName().equals("ServerException")) {
                // An answer, but one that says the server is overloaded rather than that the SQL is wrong.
                String message = String.valueOf(cause.getMessage());
                return OVERLOAD.stream().anyMatch(message::contains);
            }
            if (cause instanceof IOException || cause instanceof SQLTransientException
                    || cause instanceof SQLRecoverableException || cause instanceof SQLTimeoutException
                    || cause instanceof TimeoutException || cause instanceof InterruptedException
                    || cause instanceof SQLException sql && sql.getSQLState() != null
                            && sql.getSQLState().startsWith("08")) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
