package io.nines.query.http;

import io.nines.query.auth.Role;
import java.util.Locale;
import java.util.Optional;

/** Who may call a route: anyone, or a token with at least a role. */
enum Access {
    OPEN(null), VIEWER(Role.VIEWER), EDITOR(Role.EDITOR), ADMIN(Role.ADMIN);

    private final Role role;

    Access(Role role) {
        this.role = role;
    }

    Optional<Role> role() {
        return Optional.ofNullable(role);
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
