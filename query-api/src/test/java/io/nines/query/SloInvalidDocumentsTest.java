package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.nines.query.slo.SloSettings;
import java.net.http.HttpResponse;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A definition Nines cannot accept gets a precise answer and changes nothing: no version, no Kafka record. */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SloInvalidDocumentsTest {

    private static final String SLOS = "/api/v1/slos";
    private static final String YAML = "application/yaml";
    private static final String VALID = SloDocs.availability("checkout-availability", 0.999);

    private String bootstrap;
    private String topic;
    private QueryApi api;
    private ApiClient client;

    @BeforeAll
    void startApi(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka) {
        bootstrap = kafka.bootstrapServers();
        topic = NinesInfra.uniqueName("slo_invalid");
        api = QueryApi.start(QueryApiConfig.local("127.0.0.1", 0, clickHouse.jdbcUrl(NinesInfra.uniqueName("invalid")),
                bootstrap).withSlos(new SloSettings(bootstrap, topic, Optional.empty(), "nines-streaming")),
                InstantSource.system());
        client = new ApiClient(api.url());
    }

    @AfterEach
    void nothingWasStoredOrPublished() {
        assertThat(client.get(SLOS).body()).isEqualTo("{\"slos\":[]}");
        assertThat(client.get(SLOS + "/checkout-availability").statusCode()).isEqualTo(404);
        assertThat(TopicRecords.all(bootstrap, topic)).isEmpty();
    }

    @AfterAll
    void stopApi() {
        api.close();
    }

    @Test
    void namesAMissingTarget() {
        assertErrors(post(VALID.replace(", target: 0.999", "")),
                "[{\"path\":\"spec.objectives[0].target\",\"rule\":\"is required (or targetPercent)\"}]");
    }

    @Test
    void refusesATargetAboveOne() {
        assertErrors(post(VALID.replace("0.999", "1.5")), "[{\"path\":\"spec.objectives[0].target\",\"rule\":"
                + "\"must be above 0 and below 1 (0 % and 100 % for targetPercent), was 1.5\"}]");
    }

    @Test
    void refusesAnUnknownKind() {
        assertErrors(post(VALID.replace("kind: SLO", "kind: Banana")),
                "[{\"path\":\"kind\",\"rule\":\"must be SLO or SLI, was 'Banana'\"}]");
    }

    @Test
    void refusesAWindowOfBananas() {
        assertErrors(post(VALID.replace("duration: 30d", "duration: banana")),
                "[{\"path\":\"spec.timeWindow[0].duration\",\"rule\":\"must be a number and a unit m, h, d, w, M, Q"
                        + " or Y (e.g. 30d, 1M), was 'banana'\"}]");
    }

    @Test
    void refusesEveryDocumentWhenOneOfSeveralIsBroken() {
        String text = SloDocs.availability("fine-one", 0.99) + "---\n" + VALID.replace("0.999", "2");
        assertErrors(post(text), "[{\"path\":\"documents[1].spec.objectives[0].target\",\"rule\":"
                + "\"must be above 0 and below 1 (0 % and 100 % for targetPercent), was 2.0\"}]");
        assertThat(client.get(SLOS + "/fine-one").statusCode()).isEqualTo(404);
    }

    @Test
    void refusesAYamlAliasBombBeforeItExpands() {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char prev = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(prev).append(", *").append(prev)
                    .append(", *").append(prev).append(", *").append(prev).append(", *").append(prev).append("]\n");
        }
        JsonNode problem = QueryApiProblemsTest.problem(post(bomb.toString()), 400);
        assertThat(problem.get("errors")).hasSize(1);
        assertThat(problem.get("errors").get(0).get("path").asText()).isEqualTo("(document)");
        assertThat(problem.get("errors").get(0).get("rule").asText()).startsWith("is not valid YAML or JSON: ");
    }

    @Test
    void refusesABodyOverOneMebibyteWith413() {
        String huge = VALID + "#" + "x".repeat(10 * 1024 * 1024);
        JsonNode problem = QueryApiProblemsTest.problem(post(huge), 413);
        assertThat(problem.get("detail").asText()).isEqualTo("an SLO may hold at most 1048576 bytes");
    }

    @Test
    void refusesOtherContentTypesWith415() {
        JsonNode problem = QueryApiProblemsTest.problem(client.send("POST", SLOS, "text/plain", VALID), 415);
        assertThat(problem.get("detail").asText()).isEqualTo("an SLO is sent as application/yaml, application/x-yaml,"
                + " text/yaml or application/json, not 'text/plain'");
        QueryApiProblemsTest.problem(client.send("PUT", SLOS + "/checkout-availability", "application/xml", VALID), 415);
    }

    @Test
    void refusesAPutOfTwoDocuments() {
        JsonNode problem = QueryApiProblemsTest.problem(client.send("PUT", SLOS + "/checkout-availability", YAML,
                VALID + "---\n" + SloDocs.availability("other", 0.99)), 400);
        assertThat(problem.get("errors").toString()).isEqualTo("[{\"path\":\"(document)\",\"rule\":"
                + "\"must hold exactly one SLO for PUT /api/v1/slos/checkout-availability, held 2\"}]");
    }

    @Test
    void refusesTextThatIsNotUtf8() {
        HttpResponse<String> response = client.send(java.net.http.HttpRequest.newBuilder(client.uri(SLOS))
                .header("Content-Type", YAML)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[] {'a', ':', ' ', (byte) 0xff})));
        assertErrors(response, "[{\"path\":\"(document)\",\"rule\":\"is not UTF-8 text\"}]");
    }

    private HttpResponse<String> post(String text) {
        return client.send("POST", SLOS, YAML, text);
    }

    private static void assertErrors(HttpResponse<String> response, String errors) {
        JsonNode problem = QueryApiProblemsTest.problem(response, 400);
        assertThat(problem.get("type").asText()).isEqualTo("urn:nines:problem:invalid-slo");
        assertThat(problem.get("title").asText()).isEqualTo("Invalid SLO definition");
        assertThat(problem.get("errors").toString()).isEqualTo(errors);
    }
}
