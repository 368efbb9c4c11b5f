package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.nines.core.slo.OpenSloReader;
import io.nines.core.slo.SloDefinition;
import io.nines.core.slo.SloRecord;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.nines.query.slo.SloSettings;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** SLO definitions through the API: stored with their history in ClickHouse, published to Kafka. */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SloDefinitionsApiTest {

    static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");
    private static final String SLOS = "/api/v1/slos";
    private static final String YAML = "application/yaml";
    private static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final OpenSloReader reader = new OpenSloReader();
    private String bootstrap;
    private String topic;
    private QueryApi api;
    private ApiClient client;

    @BeforeAll
    void startApi(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka) {
        bootstrap = kafka.bootstrapServers();
        topic = NinesInfra.uniqueName("slo_definitions");
        api = QueryApi.start(QueryApiConfig.local("127.0.0.1", 0, clickHouse.jdbcUrl(NinesInfra.uniqueName("slos")),
                bootstrap).withSlos(new SloSettings(bootstrap, topic, Optional.empty(), "nines-streaming")),
                InstantSource.fixed(NOW));
        client = new ApiClient(api.url());
    }

    @AfterAll
    void stopApi() {
        api.close();
    }

    @Test
    void createsTheDesignExamplesFromOneYamlText() {
        String text = SloDocs.availability("design-availability", 0.999) + "---\n" + SloDocs.monthlyLatency("design-latency");

        HttpResponse<String> response = client.send("POST", SLOS, YAML, text);

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode created = ApiClient.json(response).get("slos");
        assertThat(created).hasSize(2);
        assertThat(created.get(0).get("name").asText()).isEqualTo("design-availability");
        assertThat(created.get(0).get("version").asLong()).isEqualTo(1);
        assertThat(created.get(0).get("target").asDouble()).isEqualTo(0.999);
        assertThat(created.get(0).get("window").asText()).isEqualTo("30d");
        assertThat(created.get(0).get("changedAt").asText()).isEqualTo("2026-03-15T12:00:00Z");
        assertThat(created.get(0).get("changedBy").asText()).isEqualTo("no-auth");
        assertThat(created.get(1).get("name").asText()).isEqualTo("design-latency");
        assertThat(created.get(1).get("window").asText()).isEqualTo("1M");
        assertThat(created.get(1).get("version").asLong()).isEqualTo(1);
    }

    @Test
    void readsBackAsJsonByDefaultAndAsOpenSloYamlOnRequest() throws Exception {
        String yaml = SloDocs.availability("round-trip", "payments", "checkout", 0.995, "28d");
        assertThat(client.send("POST", SLOS, YAML, yaml).statusCode()).isEqualTo(201);

        HttpResponse<String> json = client.get(SLOS + "/round-trip");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("ETag")).contains("\"1\"");
        JsonNode body = ApiClient.json(json);
        assertThat(body.get("team").asText()).isEqualTo("payments");
        assertThat(body.get("service").asText()).isEqualTo("checkout");
        assertThat(body.get("budgetingMethod").asText()).isEqualTo("Occurrences");
        assertThat(body.get("document").get("spec").get("objectives").get(0).get("target").asDouble()).isEqualTo(0.995);

        HttpResponse<String> asYaml = client.get(SLOS + "/round-trip", YAML);
        assertThat(asYaml.statusCode()).isEqualTo(200);
        assertThat(asYaml.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(YAML));
        assertThat(asYaml.body()).startsWith("apiVersion: openslo/v1\nkind: SLO\nmetadata:\n");
        SloDefinition original = reader.read(yaml).get(0);
        assertThat(reader.read(asYaml.body())).containsExactly(original);

        // the YAML we answer is a valid PUT body that changes nothing but the version
        HttpResponse<String> put = client.send("PUT", SLOS + "/round-trip", YAML, asYaml.body());
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(put).get("version").asLong()).isEqualTo(2);
        assertThat(ApiClient.json(put).get("document")).isEqualTo(body.get("document"));
    }

    @Test
    void createsFromJsonAndKeepsTheDocument() throws Exception {
        JsonNode document = new YAMLMapper().readTree(SloDocs.availability("from-json", "payments", "checkout", 0.99,
                "7d"));

        HttpResponse<String> response = client.send("POST", SLOS, JSON + "; charset=utf-8", document.toString());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).contains("/api/v1/slos/from-json");
        JsonNode stored = ApiClient.json(client.get(SLOS + "/from-json"));
        assertThat(stored.get("document")).isEqualTo(document);
        assertThat(stored.get("window").asText()).isEqualTo("7d");
    }

    @Test
    void refusesToCreateANameThatExists() {
        assertThat(client.send("POST", SLOS, YAML, SloDocs.availability("taken", 0.99)).statusCode()).isEqualTo(201);

        JsonNode problem = QueryApiProblemsTest.problem(client.send("POST", SLOS, YAML,
                SloDocs.availability("taken", 0.9)), 409);

        assertThat(problem.get("type").asText()).isEqualTo("urn:nines:problem:slo-exists");
        assertThat(problem.get("detail").asText()).isEqualTo("an SLO named 'taken' already exists (version 1);"
                + " PUT /api/v1/slos/taken replaces it");
        assertThat(ApiClient.json(client.get(SLOS + "/taken")).get("target").asDouble()).isEqualTo(0.99);
    }

    @Test
    void replacingMakesANewVersionAndTheHistoryKeepsEveryDocument() {
        HttpResponse<String> created = client.send("PUT", SLOS + "/evolving", YAML, SloDocs.availability("evolving", 0.99));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(ApiClient.json(created).get("version").asLong()).isEqualTo(1);

        HttpResponse<String> replaced = client.send("PUT", SLOS + "/evolving", YAML, SloDocs.availability("evolving", 0.995));
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(replaced).get("version").asLong()).isEqualTo(2);
        assertThat(client.send("PUT", SLOS + "/evolving", YAML, SloDocs.availability("evolving", 0.999)).statusCode())
                .isEqualTo(200);

        JsonNode versions = ApiClient.json(client.get(SLOS + "/evolving/versions")).get("versions");
        assertThat(versions).hasSize(3);
        assertThat(versions.findValuesAsText("version")).containsExactly("1", "2", "3");
        assertThat(versions.get(0).get("document").get("spec").get("objectives").get(0).get("target").asDouble())
                .isEqualTo(0.99);
        assertThat(versions.get(1).get("target").asDouble()).isEqualTo(0.995);
        assertThat(versions.get(2).get("target").asDouble()).isEqualTo(0.999);
        assertThat(versions.findValuesAsText("deleted")).containsExactly("false", "false", "false");
        assertThat(ApiClient.json(client.get(SLOS + "/evolving")).get("version").asLong()).isEqualTo(3);
    }

    @Test
    void refusesAPutWhoseDocumentNamesAnotherSlo() {
        JsonNode problem = QueryApiProblemsTest.problem(client.send("PUT", SLOS + "/one-name", YAML,
                SloDocs.availability("another-name", 0.99)), 400);

        assertThat(problem.get("type").asText()).isEqualTo("urn:nines:problem:invalid-slo");
        assertThat(problem.get("errors").toString()).isEqualTo("[{\"path\":\"metadata.name\",\"rule\":"
                + "\"must match the name in the path 'one-name', was 'another-name'\"}]");
        assertThat(client.get(SLOS + "/one-name").statusCode()).isEqualTo(404);
        assertThat(client.get(SLOS + "/another-name").statusCode()).isEqualTo(404);
    }

    @Test
    void anInvalidPutOverAnExistingSloLeavesItsCurrentVersionUnchanged() {
        assertThat(client.send("POST", SLOS, YAML, SloDocs.availability("steady", 0.99)).statusCode()).isEqualTo(201);
        String before = client.get(SLOS + "/steady").body();

        JsonNode problem = QueryApiProblemsTest.problem(client.send("PUT", SLOS + "/steady", YAML,
                SloDocs.availability("steady", 0.99).replace("target: 0.99", "target: high")), 400);

        assertThat(problem.get("errors").toString()).isEqualTo(
                "[{\"path\":\"spec.objectives[0].target\",\"rule\":\"must be a number, was 'high'\"}]");
        assertThat(client.get(SLOS + "/steady").body()).isEqualTo(before);
        assertThat(ApiClient.json(client.get(SLOS + "/steady")).get("version").asLong()).isEqualTo(1);
        assertThat(ApiClient.json(client.get(SLOS + "/steady/versions")).get("versions")).hasSize(1);
        assertThat(TopicRecords.all(bootstrap, topic).stream().filter(entry -> entry.key().equals("steady")))
                .hasSize(1);
    }

    @Test
    void keepsHostileButValidSelectorStringsVerbatim() throws Exception {
        String route = "/pay/<script>alert(1)</script>' OR '1'='1";
        String region = "'; DROP TABLE slo_minute;--";
        String service = "check'out\"svc";
        String yaml = SloDocs.monthlyLatency("hostile-strings").replace("service: checkout",
                "service: " + MAPPER.writeValueAsString(service)).replace("operation: \"POST /checkout\"",
                "operation: " + MAPPER.writeValueAsString(route) + ", attributes: {region: "
                        + MAPPER.writeValueAsString(region) + "}");

        assertThat(client.send("POST", SLOS, YAML, yaml).statusCode()).isEqualTo(201);

        JsonNode spec = ApiClient.json(client.get(SLOS + "/hostile-strings")).get("document").get("spec");
        JsonNode source = spec.get("indicator").get("spec").get("thresholdMetric").get("metricSource").get("spec");
        assertThat(spec.get("service").asText()).isEqualTo(service);
        assertThat(source.get("service").asText()).isEqualTo(service);
        assertThat(source.get("operation").asText()).isEqualTo(route);
        assertThat(source.get("attributes").get("region").asText()).isEqualTo(region);
        SloDefinition read = reader.read(client.send(java.net.http.HttpRequest.newBuilder(
                client.uri(SLOS + "/hostile-strings")).header("Accept", YAML).GET()).body()).get(0);
        assertThat(read.indicator().selector().operation()).contains(route);
        assertThat(read.indicator().selector().attributes()).isEqualTo(Map.of("region", region));
        assertThat(read.service()).isEqualTo(service);
    }

    @Test
    void deletingLeavesATombstoneVersionAndAnswers404Afterwards() {
        assertThat(client.send("POST", SLOS, YAML, SloDocs.availability("doomed", 0.99)).statusCode()).isEqualTo(201);

        assertThat(client.delete(SLOS + "/doomed").statusCode()).isEqualTo(204);

        JsonNode problem = QueryApiProblemsTest.problem(client.get(SLOS + "/doomed"), 404);
        assertThat(problem.get("type").asText()).isEqualTo("urn:nines:problem:unknown-slo");
        assertThat(problem.get("detail").asText()).isEqualTo("no SLO named 'doomed' exists");
        assertThat(QueryApiProblemsTest.problem(client.delete(SLOS + "/doomed"), 404)).isNotNull();
        JsonNode versions = ApiClient.json(client.get(SLOS + "/doomed/versions")).get("versions");
        assertThat(versions.findValuesAsText("deleted")).containsExactly("false", "true");
        assertThat(listedNames(SLOS + "?limit=1000")).doesNotContain("doomed");

        // a name can be used again after a deletion, and its versions go on counting
        HttpResponse<String> again = client.send("POST", SLOS, YAML, SloDocs.availability("doomed", 0.95));
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(ApiClient.json(again).get("slos").get(0).get("version").asLong()).isEqualTo(3);
    }

    @Test
    void publishesEveryChangeToTheCompactedTopic() throws Exception {
        client.send("POST", SLOS, YAML, SloDocs.availability("published", 0.99));
        client.send("PUT", SLOS + "/published", YAML, SloDocs.availability("published", 0.995));
        client.delete(SLOS + "/published");

        List<TopicRecords.Entry> records = TopicRecords.all(bootstrap, topic).stream()
                .filter(entry -> entry.key().equals("published")).toList();

        assertThat(records).hasSize(3);
        SloRecord first = SloRecord.fromJson(records.get(0).value().getBytes(StandardCharsets.UTF_8));
        SloRecord second = SloRecord.fromJson(records.get(1).value().getBytes(StandardCharsets.UTF_8));
        assertThat(first.name()).isEqualTo("published");
        assertThat(first.team()).isEqualTo("payments");
        assertThat(first.version()).isEqualTo(1);
        assertThat(reader.read(first.document()).get(0).target()).isEqualTo(0.99);
        assertThat(second.version()).isEqualTo(2);
        assertThat(reader.read(second.document())).containsExactly(
                reader.read(SloDocs.availability("published", 0.995)).get(0));
        assertThat(MAPPER.readTree(records.get(0).value()).fieldNames()).toIterable()
                .containsExactly("name", "team", "version", "document");
        assertThat(records.get(2).value()).isNull();

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get("cleanup.policy").value())
                    .isEqualTo("compact");
        }
    }

    @Test
    void acceptsANearlyOneMebibyteDocumentWhoseRecordOutgrowsKafkasDefaultLimit() throws Exception {
        // quotes and line breaks grow once escaped in the canonical JSON, and again in the record that carries it
        // 100 characters with 10 quotes: 9000 lines grow from 945 000 bytes of YAML to 1 008 000 characters of
        // canonical JSON (within the reader's limit) and 1 197 000 bytes in the record (over Kafka's default)
        String line = "\"a quote\" ".repeat(5) + "plain text".repeat(5);
        String description = (line + "\n").repeat(9000);
        String yaml = withDescription(SloDocs.availability("large-doc", 0.99), line, 9000);
        assertThat(yaml.getBytes(StandardCharsets.UTF_8).length).isBetween(900 * 1024, 1 << 20);

        HttpResponse<String> created = client.send("POST", SLOS, YAML, yaml);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(ApiClient.json(client.get(SLOS + "/large-doc")).get("document").get("spec").get("description")
                .asText()).isEqualTo(description);
        TopicRecords.Entry published = TopicRecords.all(bootstrap, topic).stream()
                .filter(entry -> entry.key().equals("large-doc")).findFirst().orElseThrow();
        byte[] value = published.value().getBytes(StandardCharsets.UTF_8);
        assertThat(value.length).isGreaterThan(1_048_588);  // Kafka's default message.max.bytes
        assertThat(reader.read(SloRecord.fromJson(value).document()).get(0).description()).isEqualTo(description);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get("max.message.bytes")
                    .value()).isEqualTo("4194304");
        }
    }

    @Test
    void refusesADocumentTooLargeToBeReadBackOnceEscaped() throws Exception {
        String yaml = withDescription(SloDocs.availability("too-large", 0.99), "\"".repeat(100), 9000);
        assertThat(yaml.getBytes(StandardCharsets.UTF_8).length).isLessThan(1 << 20);
        int escaped = MAPPER.writeValueAsString(new YAMLMapper().readTree(yaml)).length();
        assertThat(escaped).isGreaterThan(9000 * 202);

        JsonNode problem = QueryApiProblemsTest.problem(client.send("POST", SLOS, YAML, yaml), 400);

        assertThat(problem.get("errors").toString()).isEqualTo("[{\"path\":\"(document)\",\"rule\":\"is larger than"
                + " 1048576 characters as canonical JSON, was " + escaped + " (quotes, backslashes and line breaks count"
                + " twice)\"}]");
        assertThat(client.get(SLOS + "/too-large").statusCode()).isEqualTo(404);
    }

    @Test
    void listsCurrentSlosByNameFilteredAndInPages() {
        for (String name : List.of("page-a", "page-b", "page-c")) {
            client.send("POST", SLOS, YAML, SloDocs.availability(name, "paging", "cart", 0.99, "30d"));
        }
        client.send("POST", SLOS, YAML, SloDocs.availability("page-d", "paging", "basket", 0.999, "7d"));

        JsonNode first = ApiClient.json(client.get(SLOS + "?team=paging&limit=2"));
        assertThat(first.get("slos").findValuesAsText("name")).containsExactly("page-a", "page-b");
        JsonNode second = ApiClient.json(client.get(SLOS + "?team=paging&limit=2&cursor="
                + first.get("nextCursor").asText()));
        assertThat(second.get("slos").findValuesAsText("name")).containsExactly("page-c", "page-d");
        assertThat(second.has("nextCursor")).isFalse();

        JsonNode basket = ApiClient.json(client.get(SLOS + "?team=paging&service=basket"));
        assertThat(basket.get("slos").toString()).isEqualTo("[{\"name\":\"page-d\",\"team\":\"paging\","
                + "\"service\":\"basket\",\"displayName\":\"page-d\",\"target\":0.999,\"window\":\"7d\","
                + "\"budgetingMethod\":\"Occurrences\",\"version\":1}]");

        assertThat(QueryApiProblemsTest.problem(client.get(SLOS + "?limit=0"), 400).get("detail").asText())
                .isEqualTo("limit must be an integer within [1, 1000], was '0'");
        assertThat(QueryApiProblemsTest.problem(client.get(SLOS + "?cursor=not*base64"), 400).get("parameter").asText())
                .isEqualTo("cursor");
    }

    private List<String> listedNames(String path) {
        return ApiClient.json(client.get(path)).get("slos").findValuesAsText("name");
    }

    private static String withDescription(String yaml, String line, int lines) {
        return yaml.replace("spec:\n  service: checkout", "spec:\n  description: |\n"
                + ("    " + line + "\n").repeat(lines) + "  service: checkout");
    }
}
