package io.nines.query.storage;

import io.nines.core.schema.SchemaOptions;
import java.net.URI;
import java.util.Optional;

/**
 * Where ClickHouse is and which database holds the schema.
 *
 * <p>The database is taken from the JDBC URL's path and every statement names it, so connections use the
 * server URL without it: a server rejects a session whose default database does not exist yet, which is
 * the case before the first migration.
 */
public record ClickHouseSettings(String jdbcUrl, String user, String password, Optional<String> cluster) {

    private static final String PREFIX = "jdbc:clickhouse:";

    public ClickHouseSettings {
        if (jdbcUrl == null || !jdbcUrl.startsWith(PREFIX)) {
            throw new IllegalArgumentException("clickhouse-url must start with " + PREFIX + ", was '" + jdbcUrl + "'");
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("clickhouse-user must not be blank");
        }
        if (password == null || cluster == null) {
            throw new IllegalArgumentException("clickhouse-password and cluster must not be null (use \"\" and empty)");
        }
        schemaOptions(uri(jdbcUrl), cluster);
    }

    /** The database and deployment shape the schema is migrated into. */
    public SchemaOptions schema() {
        return schemaOptions(uri(jdbcUrl), cluster);
    }

    /** The JDBC URL without the database, e.g. {@code jdbc:clickhouse://host:8123/?compress=false}. */
    String serverUrl() {
        URI uri = uri(jdbcUrl);
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return PREFIX + "//" + uri.getRawAuthority() + "/" + query;
    }

    private static SchemaOptions schemaOptions(URI uri, Optional<String> cluster) {
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("clickhouse-url must name the database, as in "
                    + "jdbc:clickhouse://127.0.0.1:8123/nines, was '" + PREFIX + uri + "'");
        }
        return new SchemaOptions(path, cluster);
    }

    private static URI uri(String jdbcUrl) {
        try {
            URI uri = URI.create(jdbcUrl.substring(PREFIX.length()));
            if (uri.getRawAuthority() == null) {
                throw new IllegalArgumentException("no host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("clickhouse-url must look like jdbc:clickhouse://host:8123/database,"
                    + " was '" + jdbcUrl + "'", e);
        }
    }

    @Override
    public String toString() {
        return "ClickHouseSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=" + (password.isEmpty()
                ? "(empty)" : "(hidden)") + ", cluster=" + cluster + "]";
    }
}
