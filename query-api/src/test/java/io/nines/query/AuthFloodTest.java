package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random bearer tokens from one address: malformed ones cost nothing, well-formed ones one lookup each and no
 * cache place, and once the address used its allowance of failures they cost nothing either, while the tokens
 * it used successfully before keep working.
 */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthFloodTest {

    private static final int FAILURES_PER_MINUTE = 3;

    private AuthenticatedApi api;

    @BeforeAll
    void start(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka, @TempDir Path home) {
        api = AuthenticatedApi.start(clickHouse, kafka, home, InstantSource.system(), config -> config
                .withResilience(config.resilience().withAuthFailuresPerMinute(FAILURES_PER_MINUTE)));
    }

    @AfterAll
    void stop() {
        api.close();
    }

    private double metric(String series) {
        Matcher matcher = Pattern.compile(Pattern.quote(series) + " ([0-9.E]+)").matcher(api.anonymous()
                .get("/metrics").body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    /** Token lookups that reached ClickHouse: loads of the token cache, finding a token or (failure) none. */
    private double lookups() {
        return metric("cache_load_total{cache=\"api-tokens\",result=\"success\"}")
                + metric("cache_load_total{cache=\"api-tokens\",result=\"failure\"}");
    }

    private static String madeUp(char fill) {
        return "nines_0123456789abcdef_" + String.valueOf(fill).repeat(43);
    }

    @Test
    void madeUpTokensCostOneLookupEachAndNoneOnceTheirAddressIsThrottled() {
        AuthenticatedApi.Token known = api.token("payments", "viewer");
        assertThat(known.client().get("/api/v1/services").statusCode()).isEqualTo(200);
        double lookups = lookups();
        double cached = metric("cache_size{cache=\"api-tokens\"}");

        // Text that cannot be a token: 401 without hashing it or asking ClickHouse.
        HttpResponse<String> malformed = api.anonymous().withToken("' OR 1=1 --").get("/api/v1/services");
        assertThat(QueryApiProblemsTest.problem(malformed, 401).get("type").asText())
                .isEqualTo("urn:nines:problem:unauthenticated");
        assertThat(lookups()).isEqualTo(lookups);

        // A well-formed unknown token: one lookup per request, since misses are not cached.
        for (int i = 0; i < FAILURES_PER_MINUTE - 1; i++) {
            assertThat(api.anonymous().withToken(madeUp('A')).get("/api/v1/services").statusCode()).isEqualTo(401);
        }
        assertThat(lookups()).isEqualTo(lookups + FAILURES_PER_MINUTE - 1);
        assertThat(metric("cache_size{cache=\"api-tokens\"}")).isEqualTo(cached);

        // The address used its three failures: further unknown tokens get 429 unchecked.
        HttpResponse<String> throttled = api.anonymous().withToken(madeUp('B')).get("/api/v1/services");
        assertThat(QueryApiProblemsTest.problem(throttled, 429).get("type").asText())
                .isEqualTo("urn:nines:problem:rate-limited");
        assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
        assertThat(lookups()).isEqualTo(lookups + FAILURES_PER_MINUTE - 1);
        assertThat(metric("nines_api_auth_throttled_total")).isEqualTo(1);

        // A token this instance checked before still works from the same address.
        assertThat(known.client().get("/api/v1/services").statusCode()).isEqualTo(200);
        assertThat(lookups()).isEqualTo(lookups + FAILURES_PER_MINUTE - 1);
        assertThat(metric("nines_api_auth_throttled_total")).isEqualTo(1);
    }
}
