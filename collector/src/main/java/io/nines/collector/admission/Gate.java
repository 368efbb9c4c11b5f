package io.nines.collector.admission;

import io.nines.collector.telemetry.Refusal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The checks every export request passes, in the order that costs least: its token, Kafka's health and a
 * slot in the in-flight budget before the body is read, bytes of the budget while it is read, and the
 * token's rate once its items are counted. Shared by both receivers, so that limits hold across them.
 */
public final class Gate {

    /** The Kafka header that carries the token's team on every record. */
    public static final String TEAM_HEADER = "nines-team";

    private final Optional<IngestTokens> tokens;
    private final BooleanSupplier kafkaAccepting;
    private final InflightBudget budget;
    private final Duration retryAfter;

    /**
     * @param tokens         the ingest tokens, or empty when anyone may send
     * @param kafkaAccepting false while Kafka is known to be down
     * @param retryAfter     what clients are told to wait when Kafka is down or the budget is spent
     */
    public Gate(Optional<IngestTokens> tokens, BooleanSupplier kafkaAccepting, InflightBudget budget,
            Duration retryAfter) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.kafkaAccepting = Objects.requireNonNull(kafkaAccepting, "kafkaAccepting");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** What clients are told to wait when Kafka is down or did not acknowledge in time. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * Admits a request that presented {@code token} (null when it presented none). The pass must be closed
     * once the request is answered.
     */
    public Pass enter(String token) throws Refused {
        Optional<Tenant> tenant = Optional.empty();
        if (tokens.isPresent()) {
            tenant = tokens.get().find(token);
            if (tenant.isEmpty()) {
                throw new Refused(Refusal.UNAUTHENTICATED, token == null || token.isEmpty()
                        ? "an ingest token is required (Authorization: Bearer <token> or x-nines-token)"
                        : "unknown ingest token", retryAfter);
            }
        }
        if (!kafkaAccepting.getAsBoolean()) {
            throw new Refused(Refusal.SINK_UNAVAILABLE, "the collector cannot store data right now", retryAfter);
        }
        Optional<InflightBudget.Lease> lease = budget.admit();
        if (lease.isEmpty()) {
            throw new Refused(Refusal.OVER_BUDGET, "the collector is at capacity; retry later", retryAfter);
        }
        return new Pass(tenant, lease.get());
    }

    /** One admitted request. */
    public final class Pass implements AutoCloseable {

        private final Optional<Tenant> tenant;
        private final InflightBudget.Lease lease;

        private Pass(Optional<Tenant> tenant, InflightBudget.Lease lease) {
            this.tenant = tenant;
            this.lease = lease;
        }

        /** Takes {@code bytes} more of the byte budget for this request's body. */
        public void reserve(long bytes) throws Refused {
            if (!lease.reserve(bytes)) {
                throw new Refused(Refusal.OVER_BUDGET, "the collector is at capacity; retry later", retryAfter);
            }
        }

        /** Takes {@code items} from the token's rate, when tokens are on. */
        public void take(int items) throws Refused {
            if (tenant.isPresent() && !tenant.get().tryTake(items)) {
                throw new Refused(Refusal.RATE_LIMITED, "the ingest token's rate of items per second is spent",
                        tenant.get().retryAfter());
            }
        }

        /** Kafka headers for this request's records. */
        public Map<String, String> headers() {
            return tenant.map(t -> Map.of(TEAM_HEADER, t.team())).orElse(Map.of());
        }

        @Override
        public void close() {
            lease.close();
        }
    }
}
