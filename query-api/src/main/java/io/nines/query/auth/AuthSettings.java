package io.nines.query.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How callers prove who they are.
 *
 * @param enabled false for {@code --no-auth}: every request acts as an admin (a single-user laptop only)
 * @param adminTokenFile {@code --admin-token-file}: its token is an admin token; created when missing
 * @param tokenRefresh how long a token lookup is trusted before it is checked again; bounds how long a token
 *     revoked on another instance keeps working there (default 30 s)
 * @param sessionIdleTimeout a dashboard session ends after this long without requests (default 12 h)
 */
public record AuthSettings(boolean enabled, Optional<Path> adminTokenFile, Duration tokenRefresh,
        Duration sessionIdleTimeout) {

    public AuthSettings {
        Objects.requireNonNull(adminTokenFile, "adminTokenFile");
        if (tokenRefresh == null || tokenRefresh.isNegative() || tokenRefresh.isZero()) {
            throw new IllegalArgumentException("token-refresh-ms must be positive, was " + tokenRefresh);
        }
        if (sessionIdleTimeout == null || sessionIdleTimeout.isNegative() || sessionIdleTimeout.isZero()) {
            throw new IllegalArgumentException("session-idle-ms must be positive, was " + sessionIdleTimeout);
        }
    }

    public static AuthSettings disabled() {
        return new AuthSettings(false, Optional.empty(), Duration.ofSeconds(30), Duration.ofHours(12));
    }

    public static AuthSettings withAdminTokenFile(Path file) {
        return new AuthSettings(true, Optional.of(file), Duration.ofSeconds(30), Duration.ofHours(12));
    }
}
