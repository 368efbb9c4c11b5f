package io.nines.query.auth;

import java.time.Instant;
import java.util.Objects;

/** A token as lists show it: everything but the secret, which is never kept. */
public record ApiToken(String id, String name, String team, Role role, Instant createdAt, String createdBy) {

    public ApiToken {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
        new Principal(id, name, team, role);
    }

    Principal principal() {
        return new Principal(id, name, team, role);
    }
}
