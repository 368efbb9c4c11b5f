package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.nines.query.slo.SloSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code --slos=DIR}: the SLOs of a directory are created or updated at startup, and a broken file stops it. */
@ExtendWith(NinesInfra.class)
class SloDirectoryTest {

    @Test
    void createsMissingSlosUpdatesChangedOnesAndRefusesToStartOnABrokenFile(EmbeddedClickHouse clickHouse,
            EmbeddedKafka kafka, @TempDir Path directory) throws IOException {
        String topic = NinesInfra.uniqueName("slo_directory");
        QueryApiConfig config = QueryApiConfig.local("127.0.0.1", 0,
                clickHouse.jdbcUrl(NinesInfra.uniqueName("directory")), kafka.bootstrapServers())
                .withSlos(new SloSettings(kafka.bootstrapServers(), topic, Optional.of(directory), "nines-streaming"));
        Files.writeString(directory.resolve("payments.yaml"),
                SloDocs.availability("dir-availability", 0.999) + "---\n" + SloDocs.monthlyLatency("dir-latency"));
        Files.writeString(directory.resolve("search.json"), json(SloDocs.grouped("dir-routes")));
        Files.writeString(directory.resolve("README.md"), "not an SLO");

        try (QueryApi api = QueryApi.start(config, InstantSource.system())) {
            JsonNode slos = ApiClient.json(new ApiClient(api.url()).get("/api/v1/slos")).get("slos");
            assertThat(slos.findValuesAsText("name")).containsExactly("dir-availability", "dir-latency", "dir-routes");
            assertThat(slos.findValuesAsText("version")).containsExactly("1", "1", "1");
            assertThat(ApiClient.json(new ApiClient(api.url()).get("/api/v1/slos/dir-routes")).get("changedBy")
                    .asText()).isEqualTo("system:slos-directory");
        }

        Files.writeString(directory.resolve("search.json"), json(SloDocs.grouped("dir-routes").replace("0.99", "0.995")));
        try (QueryApi api = QueryApi.start(config, InstantSource.system())) {
            JsonNode slos = ApiClient.json(new ApiClient(api.url()).get("/api/v1/slos")).get("slos");
            assertThat(slos.findValuesAsText("version")).containsExactly("1", "1", "2");
            assertThat(slos.get(2).get("target").asDouble()).isEqualTo(0.995);
        }

        Path broken = directory.resolve("broken.yml");
        Files.writeString(broken, SloDocs.availability("dir-broken", 1.5));
        Files.writeString(directory.resolve("search.json"), json(SloDocs.grouped("dir-routes").replace("0.99", "0.9")));
        assertThatThrownBy(() -> QueryApi.start(config, InstantSource.system()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("SLO file " + broken + " is invalid: spec.objectives[0].target: must be above 0 and below 1"
                        + " (0 % and 100 % for targetPercent), was 1.5");

        // nothing of the failed start was written: the changed search.json waits for a good start
        List<String> keys = TopicRecords.all(kafka.bootstrapServers(), topic).stream()
                .map(TopicRecords.Entry::key).toList();
        assertThat(keys).containsExactly("dir-availability", "dir-latency", "dir-routes", "dir-routes");
    }

    @Test
    void resolvesIndicatorRefsToSlisKeptInOtherFiles(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka,
            @TempDir Path directory) throws IOException {
        QueryApiConfig config = QueryApiConfig.local("127.0.0.1", 0,
                clickHouse.jdbcUrl(NinesInfra.uniqueName("directory_refs")), kafka.bootstrapServers())
                .withSlos(new SloSettings(kafka.bootstrapServers(), NinesInfra.uniqueName("slo_directory_refs"),
                        Optional.of(directory), "nines-streaming"));
        Files.writeString(directory.resolve("indicators.yaml"), sli("checkout-success", "checkout") + "---\n"
                + sli("search-success", "search"));
        Files.writeString(directory.resolve("checkout.yaml"),
                sloWithRef("ref-checkout", "checkout", "checkout-success"));
        // A JSON file refers across files too, next to an SLO with its SLI inline.
        Files.writeString(directory.resolve("search.json"), "[" + json(sloWithRef("ref-search", "search",
                "search-success")) + ", "
                + json(SloDocs.availability("inline-search", "payments", "search", 0.99, "7d")) + "]");

        try (QueryApi api = QueryApi.start(config, InstantSource.system())) {
            ApiClient client = new ApiClient(api.url());
            assertThat(ApiClient.json(client.get("/api/v1/slos")).get("slos").findValuesAsText("name"))
                    .containsExactly("inline-search", "ref-checkout", "ref-search");
            JsonNode document = ApiClient.json(client.get("/api/v1/slos/ref-search")).get("document");
            assertThat(document.get("spec").has("indicatorRef")).isFalse();
            assertThat(document.get("spec").get("indicator").get("metadata").get("name").asText())
                    .isEqualTo("search-success");
            assertThat(document.get("spec").get("indicator").get("spec").get("ratioMetric").get("good")
                    .get("metricSource").get("spec").get("service").asText()).isEqualTo("search");
        }

        Path dangling = directory.resolve("dangling.yaml");
        Files.writeString(dangling, sloWithRef("ref-dangling", "checkout", "no-such-sli"));
        assertThatThrownBy(() -> QueryApi.start(config, InstantSource.system()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("SLO file " + dangling + " is invalid: spec.indicatorRef: no SLI document named"
                        + " 'no-such-sli' in any file of " + directory);

        Files.delete(dangling);
        Path twice = directory.resolve("more-indicators.yml");
        Files.writeString(twice, sli("search-success", "search"));
        assertThatThrownBy(() -> QueryApi.start(config, InstantSource.system()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("SLI 'search-success' is defined in both " + directory.resolve("indicators.yaml") + " and "
                        + twice);
    }

    @Test
    void deletedFileDeletesItsSloOnlyWithPruneAndNeverOneChangedThroughTheApi(EmbeddedClickHouse clickHouse,
            EmbeddedKafka kafka, @TempDir Path directory) throws IOException {
        SloSettings keep = new SloSettings(kafka.bootstrapServers(), NinesInfra.uniqueName("slo_directory_prune"),
                Optional.of(directory), "nines-streaming");
        QueryApiConfig config = QueryApiConfig.local("127.0.0.1", 0,
                clickHouse.jdbcUrl(NinesInfra.uniqueName("directory_prune")), kafka.bootstrapServers()).withSlos(keep);
        QueryApiConfig pruning = config.withSlos(new SloSettings(keep.kafkaBootstrap(), keep.topic(),
                keep.directory(), keep.streamJob(), true));
        for (String name : List.of("dir-a", "dir-b", "dir-c")) {
            Files.writeString(directory.resolve(name + ".yaml"), SloDocs.availability(name, 0.999));
        }
        try (QueryApi api = QueryApi.start(pruning, InstantSource.system())) {
            ApiClient client = new ApiClient(api.url());
            assertThat(client.send("PUT", "/api/v1/slos/dir-c", "application/yaml", SloDocs.availability("dir-c", 0.99))
                    .statusCode()).isEqualTo(200);
            assertThat(client.send("POST", "/api/v1/slos", "application/yaml", SloDocs.availability("api-made", 0.99))
                    .statusCode()).isEqualTo(201);
        }
        Files.delete(directory.resolve("dir-b.yaml"));
        Files.delete(directory.resolve("dir-c.yaml"));

        // Without --slos-prune a deleted file deletes nothing.
        assertThat(namesAfterStart(config)).containsExactly("api-made", "dir-a", "dir-b", "dir-c");
        // With it, only the SLO the directory made and nobody changed since goes: dir-c was edited through the API.
        assertThat(namesAfterStart(pruning)).containsExactly("api-made", "dir-a", "dir-c");

        // A directory without SLOs (emptied, or mounted wrongly) prunes nothing.
        Files.delete(directory.resolve("dir-a.yaml"));
        assertThat(namesAfterStart(pruning)).containsExactly("api-made", "dir-a", "dir-c");
    }

    private static List<String> namesAfterStart(QueryApiConfig config) {
        try (QueryApi api = QueryApi.start(config, InstantSource.system())) {
            return ApiClient.json(new ApiClient(api.url()).get("/api/v1/slos")).get("slos").findValuesAsText("name");
        }
    }

    private static String sli(String name, String service) {
        return """
                apiVersion: openslo/v1
                kind: SLI
                metadata: {name: %s}
                spec:
                  ratioMetric:
                    counter: true
                    good: {metricSource: {type: nines.spans, spec: {service: %s, outcome: success}}}
                    total: {metricSource: {type: nines.spans, spec: {service: %s}}}
                """.formatted(name, service, service);
    }

    private static String sloWithRef(String name, String service, String indicator) {
        return """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: %s, labels: {team: payments}}
                spec:
                  service: %s
                  indicatorRef: %s
                  timeWindow: [{duration: 30d, isRolling: true}]
                  budgetingMethod: Occurrences
                  objectives: [{target: 0.999}]
                """.formatted(name, service, indicator);
    }

    private static String json(String yaml) throws IOException {
        return new YAMLMapper().readTree(yaml).toString();
    }
}
