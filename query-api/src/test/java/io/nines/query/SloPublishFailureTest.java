package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.core.slo.SloRecord;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.nines.query.slo.SloSettings;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A change Kafka did not acknowledge is answered with 503 and leaves the previous version current. */
@ExtendWith(NinesInfra.class)
class SloPublishFailureTest {

    private static final String YAML = "application/yaml";

    @Test
    void aChangeKafkaDidNotAcknowledgeIsNotMadeCurrent(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka) {
        String topic = NinesInfra.uniqueName("slo_publish");
        QueryApiConfig config = QueryApiConfig.local("127.0.0.1", 0,
                clickHouse.jdbcUrl(NinesInfra.uniqueName("publish")), kafka.bootstrapServers())
                .withSlos(new SloSettings(kafka.bootstrapServers(), topic, Optional.empty(), "nines-streaming"));
        try (QueryApi api = QueryApi.start(config, InstantSource.system())) {
            ApiClient client = new ApiClient(api.url());
            assertThat(client.send("POST", "/api/v1/slos", YAML, SloDocs.availability("steady", 0.99)).statusCode())
                    .isEqualTo(201);

            kafka.stop();
            try {
                HttpResponse<String> put = client.send("PUT", "/api/v1/slos/steady", YAML,
                        SloDocs.availability("steady", 0.995));
                JsonNode problem = QueryApiProblemsTest.problem(put, 503);
                assertThat(problem.get("type").asText()).isEqualTo("urn:nines:problem:publish-failed");
                assertThat(put.headers().firstValue("Retry-After")).contains("5");
                QueryApiProblemsTest.problem(client.send("POST", "/api/v1/slos", YAML,
                        SloDocs.availability("newcomer", 0.99)), 503);

                JsonNode current = ApiClient.json(client.get("/api/v1/slos/steady"));
                assertThat(current.get("version").asLong()).isEqualTo(1);
                assertThat(current.get("target").asDouble()).isEqualTo(0.99);
                assertThat(ApiClient.json(client.get("/api/v1/slos/steady/versions")).get("versions")
                        .findValuesAsText("version")).containsExactly("1");
                assertThat(client.get("/api/v1/slos/newcomer").statusCode()).isEqualTo(404);
                assertThat(ApiClient.json(client.get("/api/v1/slos")).get("slos").findValuesAsText("name"))
                        .containsExactly("steady");
            } finally {
                kafka.start();
            }

            // the retry succeeds under a new number: version 2 was used by the change that failed
            HttpResponse<String> retried = client.send("PUT", "/api/v1/slos/steady", YAML,
                    SloDocs.availability("steady", 0.995));
            assertThat(retried.statusCode()).isEqualTo(200);
            assertThat(ApiClient.json(retried).get("version").asLong()).isEqualTo(3);
            List<Long> published = TopicRecords.all(kafka.bootstrapServers(), topic).stream()
                    .map(entry -> SloRecord.fromJson(entry.value().getBytes(StandardCharsets.UTF_8)).version())
                    .toList();
            assertThat(published).containsExactly(1L, 3L);
        }
    }
}
