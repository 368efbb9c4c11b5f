package io.nines.query.http;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.nines.query.auth.Principal;
import java.time.Duration;

/**
 * {@code /api/v1/session}: the dashboards trade a token for an HttpOnly, SameSite=Strict cookie, so the token
 * never sits where page scripts can read it.
 */
final class SessionHandlers {

    record Session(String tokenId, String name, String team, String role) {}

    private final Callers callers;
    private final Duration idleTimeout;

    SessionHandlers(Callers callers, Duration idleTimeout) {
        this.callers = callers;
        this.idleTimeout = idleTimeout;
    }

    /** Opens a session for the bearer token of the request. */
    void open(Context ctx) {
        String token = Callers.bearer(ctx).orElseThrow(() -> new Callers.UnauthenticatedException(
                "send the token to log in with as Authorization: Bearer <token>"));
        if (callers.sessions().isEmpty()) {
            // --no-auth: there is nothing to log in to; answer as a login would.
            ctx.status(HttpStatus.OK).json(session(Principal.local()));
            return;
        }
        String session = callers.sessions().get().open(token)
                .orElseThrow(() -> new Callers.UnauthenticatedException("the bearer token is not valid"));
        Principal principal = callers.tokens().get().authenticate(token).orElseThrow();
        ctx.header("Set-Cookie", cookie(ctx, session, idleTimeout.toSeconds()));
        ctx.header("Cache-Control", "no-store");
        ctx.json(session(principal));
    }

    /** Who the session (or token) acts as. */
    void current(Context ctx) {
        Answers.json(ctx, session(Callers.principal(ctx)));
    }

    void close(Context ctx) {
        callers.sessions().ifPresent(sessions -> sessions.close(ctx.cookie(Callers.SESSION_COOKIE)));
        ctx.header("Set-Cookie", cookie(ctx, "", 0));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private static Session session(Principal principal) {
        return new Session(principal.tokenId(), principal.name(), principal.team(), principal.role().label());
    }

    /** Secure only over HTTPS: the local platform serves plain HTTP on loopback, where a Secure cookie is lost. */
    private static String cookie(Context ctx, String value, long maxAgeSeconds) {
        return Callers.SESSION_COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + ("https".equalsIgnoreCase(ctx.scheme()) ? "; Secure" : "");
    }
}
