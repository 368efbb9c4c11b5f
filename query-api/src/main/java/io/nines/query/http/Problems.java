package io.nines.query.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.NotFoundResponse;
import io.nines.core.slo.InvalidSloException;
import io.nines.query.alerting.InvalidRequestException;
import io.nines.query.alerting.TargetExistsException;
import io.nines.query.alerting.UnknownAlertException;
import io.nines.query.alerting.UnknownSilenceException;
import io.nines.query.alerting.UnknownTargetException;
import io.nines.query.auth.InvalidTokenRequestException;
import io.nines.query.auth.UnknownTokenException;
import io.nines.query.resilience.OverloadedException;
import io.nines.query.resilience.TimedOutException;
import io.nines.query.slo.NotYourTeamException;
import io.nines.query.latency.InvalidQueryException;
import io.nines.query.latency.UnknownServiceException;
import io.nines.query.paging.InvalidPageException;
import io.nines.query.slo.ConcurrentChangeException;
import io.nines.query.slo.PreconditionFailedException;
import io.nines.query.slo.PublishFailedException;
import io.nines.query.slo.SloExistsException;
import io.nines.query.slo.UnknownSloException;
import io.nines.query.storage.StorageUnavailableException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers: RFC 9457 problem details, never a stack trace. Details
 * for unexpected failures stay in the log, found by the request id the answer carries.
 */
final class Problems {

    static final String CONTENT_TYPE = "application/problem+json";

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Problem(String type, String title, int status, String detail, String instance, String parameter,
            String requestId, List<InvalidSloException.Violation> errors) {}

    /** Readiness failed: answered as a problem like every other failure. */
    static final class NotReadyException extends RuntimeException {
        NotReadyException(String message) {
            super(message);
        }
    }

    private Problems() {}

    static void register(RoutesConfig routes) {
        routes.exception(InvalidQueryException.class, (e, ctx) -> write(ctx, HttpStatus.BAD_REQUEST,
                "urn:nines:problem:invalid-parameter", "Invalid query parameter", e.getMessage(), e.parameter()));
        routes.exception(InvalidPageException.class, (e, ctx) -> write(ctx, HttpStatus.BAD_REQUEST,
                "urn:nines:problem:invalid-parameter", "Invalid query parameter", e.getMessage(), e.parameter()));
        routes.exception(UnknownServiceException.class, (e, ctx) -> write(ctx, HttpStatus.NOT_FOUND,
                "urn:nines:problem:unknown-service", "Unknown service", e.getMessage(), null));
        routes.exception(InvalidSloException.class, (e, ctx) -> write(ctx, HttpStatus.BAD_REQUEST,
                "urn:nines:problem:invalid-slo", "Invalid SLO definition", e.getMessage(), null, e.violations()));
        routes.exception(UnknownSloException.class, (e, ctx) -> write(ctx, HttpStatus.NOT_FOUND,
                "urn:nines:problem:unknown-slo", "Unknown SLO", e.getMessage(), null));
        routes.exception(SloExistsException.class, (e, ctx) -> write(ctx, HttpStatus.CONFLICT,
                "urn:nines:problem:slo-exists", "SLO exists", e.getMessage(), null));
        routes.exception(PreconditionFailedException.class, (e, ctx) -> write(ctx, HttpStatus.PRECONDITION_FAILED,
                "urn:nines:problem:precondition-failed", "Precondition failed", e.getMessage(), null));
        routes.exception(ConcurrentChangeException.class, (e, ctx) -> write(ctx, HttpStatus.CONFLICT,
                "urn:nines:problem:concurrent-change", "Changed concurrently", e.getMessage(), null));
        routes.exception(PublishFailedException.class, (e, ctx) -> {
            LOG.warn("request {} failed: {}", RequestTelemetry.requestId(ctx), e.getMessage(), e);
            ctx.header("Retry-After", "5");
            write(ctx, HttpStatus.SERVICE_UNAVAILABLE, "urn:nines:problem:publish-failed", "Change not published",
                    "Kafka did not acknowledge the change, so it was not made; retry later", null);
        });
        routes.exception(StorageUnavailableException.class, (e, ctx) -> {
            // One line, no stack: while ClickHouse is down every request lands here.
            LOG.warn("request {} failed: {}", RequestTelemetry.requestId(ctx), e.getMessage());
            ctx.header("Retry-After", "5");
            write(ctx, HttpStatus.SERVICE_UNAVAILABLE, "urn:nines:problem:storage-unavailable",
                    "Storage unavailable", "the store did not answer; retry later", null);
        });
        routes.exception(Callers.UnauthenticatedException.class, (e, ctx) -> {
            ctx.header("WWW-Authenticate", "Bearer realm=\"nines\"");
            write(ctx, HttpStatus.UNAUTHORIZED, "urn:nines:problem:unauthenticated", "Unauthenticated",
                    e.getMessage(), null);
        });
        routes.exception(Callers.ForbiddenException.class, (e, ctx) -> write(ctx, HttpStatus.FORBIDDEN,
                "urn:nines:problem:forbidden", "Forbidden", e.getMessage(), null));
        routes.exception(NotYourTeamException.class, (e, ctx) -> write(ctx, HttpStatus.FORBIDDEN,
                "urn:nines:problem:other-team", "Another team's object", e.getMessage(), null));
        routes.exception(Admission.RateLimitedException.class, (e, ctx) -> {
            ctx.header("Retry-After", Long.toString(e.decision().resetSeconds()));
            write(ctx, HttpStatus.TOO_MANY_REQUESTS, "urn:nines:problem:rate-limited", "Too many requests",
                    e.getMessage(), null);
        });
        routes.exception(Callers.ThrottledException.class, (e, ctx) -> {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            write(ctx, HttpStatus.TOO_MANY_REQUESTS, "urn:nines:problem:rate-limited", "Too many requests",
                    e.getMessage(), null);
        });
        routes.exception(OverloadedException.class, (e, ctx) -> {
            ctx.header("Retry-After", "1");
            write(ctx, HttpStatus.SERVICE_UNAVAILABLE, "urn:nines:problem:overloaded", "Overloaded",
                    e.getMessage() + "; retry shortly", null);
        });
        routes.exception(TimedOutException.class, (e, ctx) -> {
            LOG.warn("request {} timed out: {}", RequestTelemetry.requestId(ctx), e.getMessage());
            ctx.header("Retry-After", "5");
            write(ctx, HttpStatus.SERVICE_UNAVAILABLE, "urn:nines:problem:timeout", "Timed out",
                    e.getMessage() + "; retry later", null);
        });
        routes.exception(InvalidTokenRequestException.class, (e, ctx) -> write(ctx, HttpStatus.BAD_REQUEST,
                "urn:nines:problem:invalid-parameter", "Invalid token request", e.getMessage(), e.parameter()));
        routes.exception(UnknownTokenException.class, (e, ctx) -> write(ctx, HttpStatus.NOT_FOUND,
                "urn:nines:problem:unknown-token", "Unknown token", e.getMessage(), null));
        routes.exception(InvalidRequestException.class, (e, ctx) -> write(ctx, HttpStatus.BAD_REQUEST,
                "urn:nines:problem:invalid-request", "Invalid request", e.getMessage(), null, e.violations()));
        routes.exception(UnknownTargetException.class, (e, ctx) -> write(ctx, HttpStatus.NOT_FOUND,
                "urn:nines:problem:unknown-notification-target", "Unknown notification target", e.getMessage(), null));
        routes.exception(TargetExistsException.class, (e, ctx) -> write(ctx, HttpStatus.CONFLICT,
                "urn:nines:problem:notification-target-exists", "Notification target exists", e.getMessage(), null));
        routes.exception(UnknownSilenceException.class, (e, ctx) -> write(ctx, HttpStatus.NOT_FOUND,
                "urn:nines:problem:unknown-silence", "Unknown silence", e.getMessage(), null));
        routes.exception(UnknownAlertException.class, (e, ctx) -> write(ctx, HttpStatus.NOT_FOUND,
                "urn:nines:problem:unknown-alert", "Unknown alert", e.getMessage(), null));
        routes.exception(NotReadyException.class, (e, ctx) -> write(ctx, HttpStatus.SERVICE_UNAVAILABLE,
                "urn:nines:problem:not-ready", "Not ready", e.getMessage(), null));
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            HttpStatus status = HttpStatus.forStatus(e.getStatus());
            write(ctx, status, "about:blank", status.getMessage(), detail(e, ctx), null);
        });
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("request {} {} {} failed unexpectedly", RequestTelemetry.requestId(ctx), ctx.method(),
                    ctx.path(), e);
            write(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "about:blank", "Internal Server Error",
                    "the server failed to answer; the log has details under request id "
                            + RequestTelemetry.requestId(ctx), null);
        });
    }

    private static String detail(HttpResponseException e, Context ctx) {
        if (e instanceof NotFoundResponse) {
            return "no route matches " + ctx.method() + " " + Params.echo(ctx.path());
        }
        if (e instanceof MethodNotAllowedResponse) {
            return "the route " + Params.echo(ctx.path()) + " does not accept " + ctx.method();
        }
        return e.getMessage();
    }

    private static void write(Context ctx, HttpStatus status, String type, String title, String detail,
            String parameter) {
        write(ctx, status, type, title, detail, parameter, null);
    }

    private static void write(Context ctx, HttpStatus status, String type, String title, String detail,
            String parameter, List<InvalidSloException.Violation> errors) {
        Problem problem = new Problem(type, title, status.getCode(), detail, ctx.path(), parameter,
                RequestTelemetry.requestId(ctx), errors);
        ctx.status(status)
                .contentType(CONTENT_TYPE)
                .result(ctx.jsonMapper().toJsonString(problem, Problem.class));
    }
}
