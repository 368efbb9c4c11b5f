package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.nines.query.slo.SloSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    void namesTheFieldOfABadNameTeamOrServiceInEachDocument() {
        String text = SloDocs.availability("Bad_Name", "payments", "checkout", 0.99, "30d") + "---\n"
                + SloDocs.availability("fine", "Payments Team", "checkout", 0.99, "30d") + "---\n"
                + SloDocs.availability("other", 0.99).replace("  service: checkout\n", "  service: cart\n");
        String rule = "must be lowercase letters, digits and '-', starting and ending with a letter or digit, at most"
                + " 63 characters, was ";
        assertErrors(post(text), "[{\"path\":\"documents[0].metadata.name\",\"rule\":\"" + rule + "'Bad_Name'\"},"
                + "{\"path\":\"documents[1].metadata.labels.team\",\"rule\":\"" + rule + "'Payments Team'\"},"
                + "{\"path\":\"documents[2].spec.service\",\"rule\":\"must be the service the indicator counts spans"
                + " of, 'checkout' (its metricSource spec.service), was 'cart'\"}]");
        assertThat(client.get(SLOS + "/fine").statusCode()).isEqualTo(404);
    }

    @Test
    void namesEveryFieldOfTheWrongType() {
        assertErrors(post(VALID.replace("target: 0.999", "target: high")),
                "[{\"path\":\"spec.objectives[0].target\",\"rule\":\"must be a number, was 'high'\"}]");
        assertErrors(post(VALID.replace("timeWindow: [{duration: 30d, isRolling: true}]", "timeWindow: 30d")),
                "[{\"path\":\"spec.timeWindow\",\"rule\":\"must be a list, was string '30d'\"}]");
        assertErrors(post(VALID.replace("objectives: [{displayName: availability, target: 0.999}]", "objectives: 5")),
                "[{\"path\":\"spec.objectives\",\"rule\":\"must be a list, was integer '5'\"}]");
        assertErrors(post(VALID.replace("labels: {team: payments}", "labels: {team: [payments, search]}")),
                "[{\"path\":\"metadata.labels.team\",\"rule\":\"must be a string, was a list\"}]");
        assertErrors(post(VALID + "  nines: {groupBy: http.route, maxGroups: 20000}\n"),
                "[{\"path\":\"spec.nines.maxGroups\",\"rule\":\"must be a whole number within [1, 10000], was 20000\"}]");
        assertErrors(post(VALID.replace("timeWindow: [{duration: 30d, isRolling: true}]", "timeWindow: [30d]")),
                "[{\"path\":\"spec.timeWindow[0]\",\"rule\":\"must be a mapping, was string '30d'\"}]");
    }

    @Test
    void refusesHostileNamesAndSelectorsThatCouldMatchNoSpan() {
        assertErrors(post(VALID.replace("{name: checkout-availability,", "{name: \"x'; DROP TABLE slo_minute;--\",")),
                "[{\"path\":\"metadata.name\",\"rule\":\"must be lowercase letters, digits and '-', starting and"
                        + " ending with a letter or digit, at most 63 characters, was 'x'; DROP TABLE slo_minute;--'\"}]");
        String longRegion = "{service: checkout, attributes: {region: " + "r".repeat(300) + "}";
        String ratio = "spec.indicator.spec.ratioMetric.";
        String rule = "must be at most 256 characters without control characters, was 300 characters";
        assertErrors(post(VALID.replace("{service: checkout", longRegion)),
                "[{\"path\":\"" + ratio + "total.metricSource.spec.attributes.region\",\"rule\":\"" + rule + "\"},"
                        + "{\"path\":\"" + ratio + "good.metricSource.spec.attributes.region\",\"rule\":\"" + rule
                        + "\"}]");
        assertErrors(post(SloDocs.monthlyLatency("routes").replace("POST /checkout", "POST /check\\0out")),
                "[{\"path\":\"spec.indicator.spec.thresholdMetric.metricSource.spec.operation\",\"rule\":"
                        + "\"must be at most 256 characters without control characters, was 15 characters\"}]");
    }

    @Test
    void refusesAYamlAliasBombBeforeItExpands() {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char prev = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(prev).append(", *").append(prev)
                    .append(", *").append(prev).append(", *").append(prev).append(", *").append(prev).append("]\n");
        }
        assertErrors(post(bomb.toString()), anchorRefused("a", 1, 4));
    }

    @Test
    void refusesABombOfTwentyAliasesUnderAnIgnoredKeyOfAValidSlo() {
        // 2^10 copies of a 1000-item list once expanded; 20 aliases, as many as a cap of 20 would let through
        StringBuilder bomb = new StringBuilder(VALID).append("notes:\n  a: &a [").append("x, ".repeat(999))
                .append("x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char prev = (char) (c - 1);
            bomb.append("  ").append(c).append(": &").append(c).append(" [*").append(prev).append(", *")
                    .append(prev).append("]\n");
        }
        assertErrors(post(bomb.toString()), anchorRefused("a", 17, 6));
    }

    @Test
    void refusesAValueThatRefersToItself() {
        assertErrors(post(VALID + "loop: &loop [*loop]\n"), anchorRefused("loop", 16, 7));
    }

    @Test
    void refusesAliasesInAJsonArrayOfDocuments() {
        // a JSON array is split into documents before the reader sees them: the aliases must not be expanded then
        String array = "[" + toJson(VALID).replace("\"notes\":null", "\"notes\": &n [1, 2, 3]")
                + ", {\"copy\": [*n, *n]}]";
        assertErrors(client.send("POST", SLOS, "application/json", array), anchorRefused("n", 1,
                array.indexOf('&') + 1));
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

    private static String anchorRefused(String anchor, int line, int column) {
        return "[{\"path\":\"(document)\",\"rule\":\"must not use YAML anchors or aliases (&name, *name); found"
                + " anchor '&" + anchor + "' at line " + line + ", column " + column + "\"}]";
    }

    /** The document as one line of JSON with an extra {@code notes} key, as a client would send it. */
    private static String toJson(String yaml) {
        try {
            ObjectNode tree = (ObjectNode) new YAMLMapper().readTree(yaml);
            tree.putNull("notes");
            return new ObjectMapper().writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertErrors(HttpResponse<String> response, String errors) {
        JsonNode problem = QueryApiProblemsTest.problem(response, 400);
        assertThat(problem.get("type").asText()).isEqualTo("urn:nines:problem:invalid-slo");
        assertThat(problem.get("title").asText()).isEqualTo("Invalid SLO definition");
        assertThat(problem.get("errors").toString()).isEqualTo(errors);
    }
}
