package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.nines.infra.testing.ChildJvm;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The entry point as {@code ./nines up} runs it: its own JVM, configured by arguments. */
@ExtendWith(NinesInfra.class)
class QueryApiMainTest {

    @Test
    void migratesStartsWritesTheAdminTokenAndPrintsWhereItListens(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka,
            @TempDir Path home) throws IOException {
        Path tokenFile = home.resolve("admin.token");
        int port = freePort();
        String url = clickHouse.jdbcUrl(NinesInfra.uniqueName("main"));
        try (ChildJvm api = ChildJvm.builder("query-api-main", "io.nines.query.QueryApiMain")
                .classpath(System.getProperty("java.class.path"))
                .jvmOptions("-Xmx256m")
                .args("--host=127.0.0.1", "--port=" + port, "--clickhouse-url=" + url,
                        "--kafka-bootstrap=" + kafka.bootstrapServers(), "--admin-token-file=" + tokenFile)
                .readyLine("Query API ready on http://127\\.0\\.0\\.1:" + port + "$")
                .startupTimeout(Duration.ofSeconds(90))
                .start()) {
            assertThat(api.readyLine()).endsWith("Query API ready on http://127.0.0.1:" + port);
            String token = Files.readString(tokenFile).strip();
            assertThat(api.tail()).anySatisfy(line -> assertThat(line).startsWith("Admin token written to " + tokenFile
                    + " (id " + token.substring(6, 22) + ")"));
            assertThat(api.tail()).noneSatisfy(line -> assertThat(line).contains(token));
            ApiClient client = new ApiClient(URI.create("http://127.0.0.1:" + port));
            assertThat(client.get("/ready").statusCode()).isEqualTo(200);
            assertThat(client.get("/api/v1/services").statusCode()).isEqualTo(401);
            assertThat(client.withToken(token).get("/api/v1/services").body()).isEqualTo("{\"services\":[]}");
        }
    }

    @Test
    void exitsWithAClearMessageWhenClickHouseNeverAnswers() throws IOException {
        String url = "jdbc:clickhouse://127.0.0.1:" + freePort() + "/nines?compress=false";
        try (ChildJvm api = ChildJvm.builder("query-api-main-no-clickhouse", "io.nines.query.QueryApiMain")
                .classpath(System.getProperty("java.class.path"))
                .jvmOptions("-Xmx256m")
                .args("--port=" + freePort(), "--clickhouse-url=" + url, "--startup-timeout-ms=2000")
                .start()) {
            assertThat(api.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(api.tail()).anySatisfy(line -> assertThat(line).startsWith("Query API failed to start:"
                    + " ClickHouse at " + url + " did not accept the schema migration within 2 s: "));
        }
    }

    @Test
    void exitsNamingTheFileAndItsViolationsWhenAnSloFileIsBroken(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka,
            @TempDir Path slos) throws IOException {
        Path broken = slos.resolve("checkout.yaml");
        Files.writeString(broken, SloDocs.availability("checkout-availability", 0.999).replace("30d", "banana"));
        try (ChildJvm api = ChildJvm.builder("query-api-main-broken-slos", "io.nines.query.QueryApiMain")
                .classpath(System.getProperty("java.class.path"))
                .jvmOptions("-Xmx256m")
                .args("--port=" + freePort(), "--clickhouse-url=" + clickHouse.jdbcUrl(NinesInfra.uniqueName("main")),
                        "--kafka-bootstrap=" + kafka.bootstrapServers(), "--slos=" + slos)
                .start()) {
            assertThat(api.awaitExit(Duration.ofSeconds(90))).isEqualTo(1);
            assertThat(api.tail()).contains("Query API failed to start: SLO file " + broken + " is invalid:"
                    + " spec.timeWindow[0].duration: must be a number and a unit m, h, d, w, M, Q or Y (e.g. 30d, 1M),"
                    + " was 'banana'");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
