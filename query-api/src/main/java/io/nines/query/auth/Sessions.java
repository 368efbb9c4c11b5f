package io.nines.query.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Browser sessions for the dashboards: a random session id in an HttpOnly cookie stands for a token. The
 * session keeps the token's hash, not the token, and every request checks the token again, so revoking the
 * token ends its sessions too. Sessions live in this instance's memory: behind a load balancer use sticky
 * sessions, and a restart logs everyone out.
 */
public final class Sessions {

    private final SecureRandom random = new SecureRandom();
    private final Cache<String, String> tokenHashBySession;
    private final TokenService tokens;

    public Sessions(TokenService tokens, Duration idleTimeout) {
        this.tokens = tokens;
        this.tokenHashBySession = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(idleTimeout).build();
    }

    /** A new session for a valid token, or empty when the token is not valid. */
    public Optional<String> open(String token) {
        Optional<Principal> principal = tokens.authenticate(token);
        if (principal.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String session = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokenHashBySession.put(TokenSecret.hash(session), TokenSecret.hash(token));
        return Optional.of(session);
    }

    public Optional<Principal> principal(String session) {
        if (session == null || session.isBlank() || session.length() > 128) {
            return Optional.empty();
        }
        String tokenHash = tokenHashBySession.getIfPresent(TokenSecret.hash(session));
        return tokenHash == null ? Optional.empty() : tokens.authenticateHash(tokenHash);
    }

    public void close(String session) {
        if (session != null) {
            tokenHashBySession.invalidate(TokenSecret.hash(session));
        }
    }
}
