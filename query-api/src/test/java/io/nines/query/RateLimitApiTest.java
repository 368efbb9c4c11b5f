package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NinesInfra.class)
class RateLimitApiTest {

    private static final int LIMIT = 5;

    @Test
    void aFloodingTokenGets429WithRateLimitHeadersWhileAnotherTokenIsUnaffected(EmbeddedClickHouse clickHouse,
            EmbeddedKafka kafka, @TempDir Path home) {
        try (AuthenticatedApi api = AuthenticatedApi.start(clickHouse, kafka, home, InstantSource.system(),
                config -> config.withResilience(config.resilience().withRequestsPerSecond(LIMIT)))) {
            ApiClient flood = api.token("noisy", "viewer").client();
            ApiClient calm = api.token("calm", "viewer").client();

            List<HttpResponse<String>> answers = new ArrayList<>();
            for (int i = 0; i < 4 * LIMIT; i++) {
                answers.add(flood.get("/api/v1/slos"));
            }
            List<HttpResponse<String>> refused = answers.stream().filter(a -> a.statusCode() == 429).toList();
            long allowed = answers.stream().filter(a -> a.statusCode() == 200).count();
            // Exactly LIMIT when the twenty requests fit in one second, one window more if they straddle two.
            assertThat(allowed).isBetween((long) LIMIT, 2L * LIMIT);
            assertThat(refused).hasSize(answers.size() - (int) allowed);
            HttpResponse<String> first = refused.get(0);
            assertThat(QueryApiProblemsTest.problem(first, 429).get("type").asText())
                    .isEqualTo("urn:nines:problem:rate-limited");
            assertThat(first.headers().firstValue("Retry-After")).contains("1");
            assertThat(first.headers().firstValue("RateLimit-Limit")).contains(Integer.toString(LIMIT));
            assertThat(first.headers().firstValue("RateLimit-Remaining")).contains("0");
            assertThat(first.headers().firstValue("RateLimit-Reset")).contains("1");
            assertThat(answers.get(0).headers().firstValue("RateLimit-Remaining"))
                    .contains(Integer.toString(LIMIT - 1));

            for (int i = 0; i < LIMIT; i++) {
                assertThat(calm.get("/api/v1/slos").statusCode()).isEqualTo(200);
            }
            assertThat(api.admin().get("/metrics").body())
                    .contains("nines_api_rate_limited_total " + refused.size() + ".0");
        }
    }
}
