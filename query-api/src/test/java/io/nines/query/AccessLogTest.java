package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The access log as operators read it: one logfmt line per request, naming the token by id, never by its text. */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessLogTest {

    private static final String LATENCY = "/api/v1/services/checkout/latency?from=2026-03-01T11:00:00Z"
            + "&to=2026-03-01T11:30:00Z";

    /** Every event of every logger while the class runs: the secret must be in none of them. */
    private static final class Captured extends AppenderBase<ILoggingEvent> {
        final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            events.add(event);
        }

        ILoggingEvent accessLine(String requestId) {
            return events.stream().filter(e -> e.getLoggerName().equals("io.nines.query.access")
                    && e.getFormattedMessage().startsWith("requestId=" + requestId + " ")).findFirst().orElseThrow();
        }

        String everything() {
            return events.stream().map(e -> e.getFormattedMessage() + " " + e.getKeyValuePairs()
                    + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage()))
                    .collect(Collectors.joining("\n"));
        }
    }

    private final Captured captured = new Captured();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private AuthenticatedApi api;

    @BeforeAll
    void start(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka, @TempDir Path home) throws Exception {
        captured.start();
        root.addAppender(captured);
        api = AuthenticatedApi.start(clickHouse, kafka, home, InstantSource.system(), config -> config
                .withResilience(config.resilience().withRequestsPerSecond(2)));
        new LatencyFixture().insert(clickHouse.jdbcUrl(api.database));
    }

    @AfterAll
    void stop() {
        api.close();
        root.detachAppender(captured);
    }

    private static String requestId(HttpResponse<String> response) {
        return response.headers().firstValue("X-Request-Id").orElseThrow();
    }

    @Test
    void logsOneLogfmtLineWithTheTokenIdTeamRouteTemplateBytesAndCacheStatus() {
        AuthenticatedApi.Token token = api.token("payments", "viewer");
        HttpResponse<String> response = token.client().get(LATENCY);
        assertThat(response.statusCode()).isEqualTo(200);
        String id = requestId(response);

        ILoggingEvent line = await().atMost(Duration.ofSeconds(10)).until(() -> captured.accessLine(id), e -> true);

        String bytes = Integer.toString(response.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(line.getFormattedMessage()).matches("requestId=" + id + " tokenId=" + token.id() + " team=payments"
                + " method=GET route=/api/v1/services/\\{service}/latency status=200 durationMs=[0-9]+\\.[0-9]"
                + " bytes=" + bytes + " cache=miss");
        Map<String, Object> fields = line.getKeyValuePairs().stream()
                .collect(Collectors.toMap(pair -> pair.key, pair -> pair.value));
        assertThat(fields).containsEntry("requestId", id).containsEntry("tokenId", token.id())
                .containsEntry("team", "payments").containsEntry("status", 200).containsEntry("bytes", (long) response
                        .body().getBytes(StandardCharsets.UTF_8).length).containsEntry("cache", "miss");
        assertThat(captured.everything()).doesNotContain(token.secret()).doesNotContain(api.adminToken());
    }

    @Test
    void rateLimitedRequestsNameTheirTokenSoOperatorsCanFindIt() {
        AuthenticatedApi.Token noisy = api.token("search", "viewer");
        HttpResponse<String> refused = await().atMost(Duration.ofSeconds(10))
                .until(() -> noisy.client().get("/api/v1/services"), response -> response.statusCode() == 429);
        String id = requestId(refused);

        ILoggingEvent line = await().atMost(Duration.ofSeconds(10)).until(() -> captured.accessLine(id), e -> true);

        assertThat(line.getFormattedMessage()).contains(" tokenId=" + noisy.id() + " team=search method=GET"
                + " route=/api/v1/services status=429 ").endsWith(" cache=-");
        assertThat(captured.everything()).doesNotContain(noisy.secret());
    }

    @Test
    void unauthenticatedRequestsAreLoggedWithoutATokenAndWithoutTheTextTheySent() {
        String guessed = "nines_0123456789abcdef_not-a-real-secret";
        HttpResponse<String> response = api.anonymous().withToken(guessed).get("/api/v1/services");
        assertThat(response.statusCode()).isEqualTo(401);
        String id = requestId(response);

        ILoggingEvent line = await().atMost(Duration.ofSeconds(10)).until(() -> captured.accessLine(id), e -> true);

        assertThat(line.getFormattedMessage()).matches("requestId=" + id + " tokenId=- team=- method=GET"
                + " route=/api/v1/services status=401 durationMs=[0-9]+\\.[0-9] bytes=[1-9][0-9]* cache=-");
        assertThat(captured.everything()).doesNotContain(guessed);
    }
}
