package io.nines.query.http;

import io.javalin.http.Context;
import io.nines.query.auth.Principal;
import io.nines.query.auth.Role;
import io.nines.query.auth.Sessions;
import io.nines.query.auth.TokenService;
import io.nines.query.slo.Actor;
import java.util.Optional;

/**
 * Who is calling: a bearer token, or a dashboard session cookie; with {@code --no-auth} everyone is the local
 * admin. The token text is read here and nowhere else, and never logged.
 */
final class Callers {

    static final String SESSION_COOKIE = "nines_session";
    private static final String PRINCIPAL = "nines.principal";
    private static final String BEARER = "Bearer ";

    /** A caller and how it authenticated. */
    record Caller(Principal principal, boolean viaSession) {}

    /** Thrown when a request carries no valid credentials: 401 with {@code WWW-Authenticate: Bearer}. */
    static final class UnauthenticatedException extends RuntimeException {
        UnauthenticatedException(String message) {
            super(message);
        }
    }

    /** Thrown when the caller's role is below the route's: 403. */
    static final class ForbiddenException extends RuntimeException {
        ForbiddenException(String message) {
            super(message);
        }
    }

    private final Optional<TokenService> tokens;
    private final Optional<Sessions> sessions;

    private Callers(Optional<TokenService> tokens, Optional<Sessions> sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    static Callers authenticated(TokenService tokens, Sessions sessions) {
        return new Callers(Optional.of(tokens), Optional.of(sessions));
    }

    static Callers noAuth() {
        return new Callers(Optional.empty(), Optional.empty());
    }

    Optional<Sessions> sessions() {
        return sessions;
    }

    Optional<TokenService> tokens() {
        return tokens;
    }

    /** Thrown for a throttled client whose token was not checked recently: 429, without a lookup. */
    static final class ThrottledException extends RuntimeException {
        private final long retryAfterSeconds;

        ThrottledException(long retryAfterSeconds) {
            super("too many failed authentications from this address; retry in " + retryAfterSeconds + " s");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** @throws UnauthenticatedException when the request carries no valid token or session */
    Caller authenticate(Context ctx) {
        return authenticate(ctx, 0);
    }

    /**
     * @param throttledFor when positive, the client failed too often: only tokens checked recently (cached) are
     *     accepted, others get {@link ThrottledException} without a lookup
     * @throws UnauthenticatedException when the request carries no valid token or session
     */
    Caller authenticate(Context ctx, long throttledFor) {
        if (tokens.isEmpty()) {
            return remember(ctx, new Caller(Principal.local(), ctx.cookie(SESSION_COOKIE) != null));
        }
        Optional<String> bearer = bearer(ctx);
        if (bearer.isPresent()) {
            if (!TokenService.wellFormed(bearer.get())) {
                throw new UnauthenticatedException("the bearer token is not valid");
            }
            Optional<Principal> principal = throttledFor > 0 ? tokens.get().authenticateCached(bearer.get())
                    : tokens.get().authenticate(bearer.get());
            if (principal.isEmpty() && throttledFor > 0) {
                throw new ThrottledException(throttledFor);
            }
            return remember(ctx, new Caller(principal
                    .orElseThrow(() -> new UnauthenticatedException("the bearer token is not valid")), false));
        }
        String session = ctx.cookie(SESSION_COOKIE);
        if (session != null) {
            return remember(ctx, new Caller(sessions.get().principal(session)
                    .orElseThrow(() -> new UnauthenticatedException("the session has ended; log in again")), true));
        }
        throw new UnauthenticatedException("this route needs a token: send Authorization: Bearer <token>");
    }

    /** The token text of {@code Authorization: Bearer}, if the header has that form. */
    static Optional<String> bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return Optional.of(header.substring(BEARER.length()).strip());
    }

    static void requireRole(Principal principal, Access access) {
        access.role().filter(required -> !principal.role().includes(required)).ifPresent(required -> {
            throw new ForbiddenException("this route needs the role " + required.label() + "; the token has "
                    + principal.role().label());
        });
    }

    /** The caller, once authentication succeeded; empty on open routes and before or after a failed one. */
    static Optional<Principal> caller(Context ctx) {
        return Optional.ofNullable(ctx.attribute(PRINCIPAL));
    }

    /** The caller of a route that required authentication. */
    static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(PRINCIPAL);
        if (principal == null) {
            throw new IllegalStateException("no caller: the route was not declared with a role");
        }
        return principal;
    }

    /** Who a change is recorded as, and which teams it may touch: admins every team, editors their own. */
    static Actor actor(Context ctx) {
        Principal principal = principal(ctx);
        return principal.role() == Role.ADMIN ? Actor.ofEveryTeam(principal.actorName())
                : Actor.ofTeam(principal.actorName(), principal.team());
    }

    private static Caller remember(Context ctx, Caller caller) {
        ctx.attribute(PRINCIPAL, caller.principal());
        return caller;
    }
}
