package io.nines.query.auth;

import java.util.Locale;

/** What a token may do; each role includes the ones before it. */
public enum Role {
    /** Reads everything in the organisation. */
    VIEWER,
    /** Also changes its own team's SLOs (later: rules, targets, silences). */
    EDITOR,
    /** Also manages tokens and changes every team's objects. */
    ADMIN;

    public boolean includes(Role required) {
        return compareTo(required) >= 0;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the value when it is not a role */
    public static Role parse(String raw) {
        if (raw != null) {
            for (Role role : values()) {
                if (role.label().equals(raw.strip().toLowerCase(Locale.ROOT))) {
                    return role;
                }
            }
        }
        throw new IllegalArgumentException("role must be viewer, editor or admin, was '" + raw + "'");
    }
}
