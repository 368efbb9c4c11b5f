package io.nines.query.auth;

import java.util.regex.Pattern;

/**
 * The caller a request acts as: the token's id (safe to log; never the secret), its name, team and role.
 */
public record Principal(String tokenId, String name, String team, Role role) {

    /** Never the id of a token: those are 16 hex digits. */
    private static final String LOCAL_ID = "local";
    static final Pattern TEAM = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    public Principal {
        if (tokenId == null || tokenId.isBlank()) {
            throw new IllegalArgumentException("tokenId must not be blank, was '" + tokenId + "'");
        }
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        if (team == null || !TEAM.matcher(team).matches()) {
            throw new IllegalArgumentException("team must be lower-case letters, digits, '.', '_' or '-' (at most 63),"
                    + " was '" + team + "'");
        }
        if (role == null) {
            throw new IllegalArgumentException("role must not be null");
        }
    }

    /** Every request of a {@code --no-auth} instance acts as this admin. */
    public static Principal local() {
        return new Principal(LOCAL_ID, "no-auth", "local", Role.ADMIN);
    }

    /** How changes by this caller are recorded: {@code token:<id>}, or {@code no-auth} without authentication. */
    public String actorName() {
        return tokenId.equals(LOCAL_ID) ? "no-auth" : "token:" + tokenId;
    }
}
