package io.nines.query.auth;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.nines.query.paging.Page;
import io.nines.query.paging.PageRequest;
import io.nines.query.storage.Sql;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * Creates, lists and revokes tokens, and tells who a token belongs to.
 *
 * <p>Lookups go through a small cache keyed by the token's hash. A revoke on this instance removes the
 * token's entries at once; other instances learn of it when their entry is refreshed, at most
 * {@code refreshAfter} later (the first request after that still gets the old answer while the refresh runs).
 * When ClickHouse is down a refresh fails and the cached answer stays, so known callers keep reading stale
 * data instead of getting 401s.
 *
 * <p>Only live tokens are cached: a miss is not remembered, so a flood of made-up tokens cannot push the real
 * ones out (the caller throttles failed attempts per client instead), and text that cannot be a token at all is
 * refused before any hashing or lookup.
 */
public final class TokenService {

    /** A created token: the only moment its secret exists outside the caller's hands. */
    public record Created(ApiToken token, String secret) {}

    private final TokenRepository repository;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();
    private final LoadingCache<String, Principal> byHash;

    TokenService(TokenRepository repository, InstantSource clock, Duration refreshAfter, MeterRegistry registry) {
        this.repository = repository;
        this.clock = clock;
        this.byHash = Caffeine.newBuilder()
                .maximumSize(10_000)
                .refreshAfterWrite(refreshAfter)
                .expireAfterWrite(Duration.ofHours(1))
                .recordStats()
                // A null answer is not cached, and a refresh that finds no live token removes the entry.
                .build(hash -> repository.byHash(hash).map(ApiToken::principal).orElse(null));
        CaffeineCacheMetrics.monitor(registry, byHash, "api-tokens");
    }

    public TokenService(Sql sql, InstantSource clock, Duration refreshAfter,
            MeterRegistry registry) {
        this(new TokenRepository(sql), clock, refreshAfter, registry);
    }

    /** The caller a bearer token stands for, if it is a live token. */
    public Optional<Principal> authenticate(String token) {
        if (!TokenSecret.plausible(token)) {
            return Optional.empty();
        }
        return Optional.ofNullable(byHash.get(TokenSecret.hash(token)));
    }

    /** The caller of a token checked recently (in the cache), without asking ClickHouse. */
    public Optional<Principal> authenticateCached(String token) {
        if (!TokenSecret.plausible(token)) {
            return Optional.empty();
        }
        return Optional.ofNullable(byHash.getIfPresent(TokenSecret.hash(token)));
    }

    /** Whether {@code token} has the form of a token; a request whose token has not gets 401 without a lookup. */
    public static boolean wellFormed(String token) {
        return TokenSecret.plausible(token);
    }

    Optional<Principal> authenticateHash(String hash) {
        return Optional.ofNullable(byHash.get(hash));
    }

    public Created create(Principal creator, String name, String team, Role role) {
        TokenSecret.Generated generated = TokenSecret.generate(random);
        ApiToken token = new ApiToken(generated.id(), name, team, role, clock.instant(), creator.actorName());
        String hash = TokenSecret.hash(generated.token());
        repository.insert(token, hash);
        byHash.invalidate(hash);
        return new Created(token, generated.token());
    }

    /**
     * Registers a token whose text was made elsewhere (the admin token file) unless it is registered already.
     *
     * @return its id
     */
    public String register(String text, String name, String team, Role role) {
        if (text.length() < TokenSecret.MIN_FOREIGN_LENGTH) {
            throw new IllegalArgumentException("a token must hold at least " + TokenSecret.MIN_FOREIGN_LENGTH
                    + " characters, had " + text.length());
        }
        if (!TokenSecret.plausible(text)) {
            // It could never authenticate: requests whose token has not this form are refused unchecked.
            throw new IllegalArgumentException("a token must be at most " + TokenSecret.MAX_LENGTH + " characters of"
                    + " A-Z, a-z, 0-9 and . _ ~ + / - (RFC 6750), or nines_<16 hex>_<43 base64url>; had "
                    + text.length() + " characters");
        }
        String hash = TokenSecret.hash(text);
        Optional<ApiToken> existing = repository.byHash(hash);
        if (existing.isPresent()) {
            return existing.get().id();
        }
        String id = TokenSecret.idOf(text).orElse(hash.substring(0, 16));
        repository.insert(new ApiToken(id, name, team, role, clock.instant(), "system:admin-token-file"), hash);
        byHash.invalidate(hash);
        return id;
    }

    public Created createAdmin(String name) {
        return create(new Principal("system", "system", "admin", Role.ADMIN), name, "admin", Role.ADMIN);
    }

    /** A page of live tokens by id. */
    public Page<ApiToken> list(PageRequest page) {
        return page.page(repository.list(page.after(1).map(key -> key.text(0)), page.fetch()),
                token -> List.of(token.id()));
    }

    /**
     * Revokes the token: it stops working on this instance at once.
     *
     * @throws UnknownTokenException when there is no live token with this id
     */
    public void revoke(String id) {
        ApiToken token = repository.byId(id).orElseThrow(() -> new UnknownTokenException(id));
        repository.revoke(token);
        byHash.asMap().values().removeIf(principal -> principal.tokenId().equals(id));
    }
}
