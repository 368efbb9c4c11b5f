package io.nines.query.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.nines.query.resilience.AuthFailures;
import io.nines.query.resilience.Lane;
import io.nines.query.resilience.Lanes;
import io.nines.query.resilience.RateLimits;

/**
 * What every non-open route goes through, in order: who is calling (401; 429 for a client address that failed
 * too often, whose unknown tokens are then not looked up), the caller's rate limit (429), the
 * route's role (403), then the caller's lane: a bounded pool with a time limit, under the global cap (503). The
 * handler runs on the lane's pool against a {@link DeferredContext}; its answer is written here, on the server's
 * thread, so a handler that outlives its limit cannot touch a response that was already sent.
 */
final class Admission {

    /** A caller over its rate limit: 429 with the decision's headers. */
    static final class RateLimitedException extends RuntimeException {
        private final RateLimits.Decision decision;

        RateLimitedException(RateLimits.Decision decision) {
            super("this token may send " + decision.limit() + " requests a second; retry in "
                    + decision.resetSeconds() + " s");
            this.decision = decision;
        }

        RateLimits.Decision decision() {
            return decision;
        }
    }

    private final Callers callers;
    private final RateLimits limits;
    private final Lanes lanes;
    private final AuthFailures failures;

    Admission(Callers callers, RateLimits limits, Lanes lanes, AuthFailures failures) {
        this.callers = callers;
        this.limits = limits;
        this.lanes = lanes;
        this.failures = failures;
    }

    Handler wrap(Route route) {
        if (route.access() == Access.OPEN) {
            return route.handler();
        }
        return ctx -> {
            Callers.Caller caller;
            try {
                caller = callers.authenticate(ctx, failures.throttled(ctx.ip()));
            } catch (Callers.UnauthenticatedException e) {
                failures.failed(ctx.ip());
                throw e;
            } catch (Callers.ThrottledException e) {
                failures.refused();
                throw e;
            }
            RateLimits.Decision decision = limits.acquire(caller.principal().tokenId());
            rateLimitHeaders(ctx, decision);
            if (!decision.allowed()) {
                throw new RateLimitedException(decision);
            }
            Callers.requireRole(caller.principal(), route.access());
            Lane lane = route.write() ? Lane.WRITES : caller.viaSession() ? Lane.DASHBOARD_READS : Lane.API_READS;
            // The pool computes the answer; this thread sends it, and only if it came within the time limit.
            DeferredContext deferred = new DeferredContext(ctx);
            lanes.run(lane, () -> {
                route.handler().handle(deferred);
                return null;
            });
            deferred.sendOn(ctx);
        };
    }

    /** The IETF draft's names (draft-ietf-httpapi-ratelimit-headers), in their separate-header form. */
    static void rateLimitHeaders(Context ctx, RateLimits.Decision decision) {
        ctx.header("RateLimit-Limit", Integer.toString(decision.limit()));
        ctx.header("RateLimit-Remaining", Integer.toString(decision.remaining()));
        ctx.header("RateLimit-Reset", Long.toString(decision.resetSeconds()));
    }
}
