package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.nines.query.auth.AuthSettings;
import io.nines.query.slo.SloSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A query API with authentication on, bootstrapped as {@code ./nines up} does: from an admin token file. Tests
 * call it as the admin ({@link #admin()}) or with tokens they create ({@link #token}).
 */
final class AuthenticatedApi implements AutoCloseable {

    record Token(String id, String secret, ApiClient client) {}

    final QueryApi api;
    final Path adminTokenFile;
    final String database;
    private final String adminToken;

    private AuthenticatedApi(QueryApi api, Path adminTokenFile, String database) {
        this.api = api;
        this.adminTokenFile = adminTokenFile;
        this.database = database;
        try {
            this.adminToken = Files.readString(adminTokenFile).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AuthenticatedApi start(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka, Path directory,
            InstantSource clock, UnaryOperator<QueryApiConfig> adjust) {
        String database = NinesInfra.uniqueName("auth");
        Path file = directory.resolve("admin.token");
        QueryApiConfig config = QueryApiConfig.local("127.0.0.1", 0, clickHouse.jdbcUrl(database),
                kafka.bootstrapServers())
                .withSlos(new SloSettings(kafka.bootstrapServers(), NinesInfra.uniqueName("slo_auth"), Optional.empty(),
                        "nines-streaming"))
                .withAuth(AuthSettings.withAdminTokenFile(file));
        return new AuthenticatedApi(QueryApi.start(adjust.apply(config), clock), file, database);
    }

    ApiClient anonymous() {
        return new ApiClient(api.url());
    }

    ApiClient admin() {
        return anonymous().withToken(adminToken);
    }

    String adminToken() {
        return adminToken;
    }

    /** Creates a token through the API, as an admin would. */
    Token token(String team, String role) {
        HttpResponse<String> created = admin().send("POST", "/api/v1/tokens", "application/json",
                "{\"name\":\"" + team + " " + role + "\",\"team\":\"" + team + "\",\"role\":\"" + role + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = ApiClient.json(created);
        String secret = body.get("token").asText();
        return new Token(body.get("id").asText(), secret, anonymous().withToken(secret));
    }

    @Override
    public void close() {
        api.close();
    }
}
