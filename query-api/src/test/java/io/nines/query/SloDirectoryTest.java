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

    private static String json(String yaml) throws IOException {
        return new YAMLMapper().readTree(yaml).toString();
    }
}
