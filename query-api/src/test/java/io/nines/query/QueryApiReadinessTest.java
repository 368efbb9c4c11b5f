package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NinesInfra.class)
class QueryApiReadinessTest {

    @Test
    void readinessFollowsClickHouseWhileLivenessStaysUp(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka) {
        String database = NinesInfra.uniqueName("ready");
        try (QueryApi api = QueryApi.start(QueryApiConfig.local("127.0.0.1", 0, clickHouse.jdbcUrl(database), kafka.bootstrapServers()),
                InstantSource.system())) {
            ApiClient client = new ApiClient(api.url());
            assertThat(client.get("/ready").statusCode()).isEqualTo(200);

            clickHouse.stop();
            try {
                HttpResponse<String> notReady = client.get("/ready");
                JsonNode problem = QueryApiProblemsTest.problem(notReady, 503);
                assertThat(problem.get("type").asText()).isEqualTo("urn:nines:problem:not-ready");
                assertThat(problem.get("detail").asText()).isEqualTo("ClickHouse does not answer SELECT 1");
                assertThat(client.get("/health").statusCode()).isEqualTo(200);

                HttpResponse<String> query = client.get("/api/v1/services");
                JsonNode unavailable = QueryApiProblemsTest.problem(query, 503);
                assertThat(unavailable.get("type").asText()).isEqualTo("urn:nines:problem:storage-unavailable");
                assertThat(query.headers().firstValue("Retry-After")).contains("5");
            } finally {
                clickHouse.start();
            }

            await().atMost(Duration.ofSeconds(30)).untilAsserted(
                    () -> assertThat(client.get("/ready").statusCode()).isEqualTo(200));
            assertThat(client.get("/api/v1/services").body()).isEqualTo("{\"services\":[]}");
        }
    }
}
