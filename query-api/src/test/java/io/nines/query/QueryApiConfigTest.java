package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryApiConfigTest {

    @Test
    void documentedDefaults() {
        QueryApiConfig config = QueryApiConfig.load(new String[0], Map.of());
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.clickHouse().jdbcUrl()).isEqualTo("jdbc:clickhouse://127.0.0.1:8123/nines?compress=false");
        assertThat(config.clickHouse().user()).isEqualTo("default");
        assertThat(config.clickHouse().password()).isEmpty();
        assertThat(config.clickHouse().cluster()).isEmpty();
        assertThat(config.startupTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.slos().kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(config.slos().topic()).isEqualTo("nines.slo-definitions");
        assertThat(config.slos().directory()).isEmpty();
        assertThat(config.slos().streamJob()).isEqualTo("nines-streaming");
    }

    @Test
    void authenticationIsOnUnlessNoAuthIsGivenAndLimitsHaveDocumentedDefaults() {
        QueryApiConfig defaults = QueryApiConfig.load(new String[0], Map.of());
        assertThat(defaults.auth().enabled()).isTrue();
        assertThat(defaults.auth().adminTokenFile()).isEmpty();
        assertThat(defaults.auth().tokenRefresh()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.resilience()).isEqualTo(io.nines.query.resilience.ResilienceSettings.defaults());
        assertThat(defaults.resilience().requestsPerSecond()).isEqualTo(50);
        assertThat(defaults.resilience().readTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(defaults.resilience().queryTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(defaults.resilience().readAttempts()).isEqualTo(2);
        assertThat(defaults.resilience().cacheBytes()).isEqualTo(8L << 20);

        QueryApiConfig laptop = QueryApiConfig.load(new String[] {"--no-auth", "--admin-token-file=/tmp/admin.token",
            "--rate-limit-per-second=7"}, Map.of());
        assertThat(laptop.auth().enabled()).isFalse();
        assertThat(laptop.auth().adminTokenFile()).contains(java.nio.file.Path.of("/tmp/admin.token"));
        assertThat(laptop.resilience().requestsPerSecond()).isEqualTo(7);
        assertThat(QueryApiConfig.load(new String[0], Map.of("NINES_QUERY_API_NO_AUTH", "true")).auth().enabled())
                .isFalse();
        assertThatThrownBy(() -> QueryApiConfig.load(new String[] {"--rate-limit-per-second=0"}, Map.of()))
                .hasMessage("rate-limit-per-second must be positive, was 0");
        assertThatThrownBy(() -> QueryApiConfig.load(new String[] {"--no-auth=maybe"}, Map.of()))
                .hasMessage("--no-auth must be true or false, was 'maybe'");
    }

    @Test
    void refusesAReadLimitThatTheReadRetryBudgetDoesNotFitIn() {
        // 2 x (1.5 s pool wait + 5 s query + 0.5 s grace) + 0.5 s backoff = 14.5 s, over the 12 s read limit.
        assertThatThrownBy(() -> QueryApiConfig.load(new String[] {"--query-timeout-ms=5000"}, Map.of()))
                .hasMessage("read-timeout-ms (12000) must be longer than the read retry budget of 14500 ms:"
                        + " read-attempts (2) x (pool wait 1500 ms + query-timeout-ms (5000) + grace 500 ms) + 1"
                        + " backoffs of at most 500 ms; otherwise slow reads end in 503 instead of a stale answer");
        QueryApiConfig wider = QueryApiConfig.load(new String[] {"--query-timeout-ms=5000", "--read-timeout-ms=15000",
            "--read-attempts=2", "--cache-bytes=1048576"}, Map.of());
        assertThat(wider.resilience().queryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(wider.resilience().cacheBytes()).isEqualTo(1_048_576);
        assertThat(io.nines.query.resilience.ResilienceSettings.readRetryBudget(1, Duration.ofMillis(2500)))
                .isEqualTo(Duration.ofMillis(5000));
    }

    @Test
    void kafkaIsSharedWithTheOtherProcessesThroughNinesKafkaBootstrap() {
        QueryApiConfig config = QueryApiConfig.load(new String[] {"--slos=/etc/nines/slos", "--slo-topic=slos"},
                Map.of("NINES_KAFKA_BOOTSTRAP", "kafka-1:9092,kafka-2:9092"));
        assertThat(config.slos().kafkaBootstrap()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(config.slos().topic()).isEqualTo("slos");
        assertThat(config.slos().directory()).contains(java.nio.file.Path.of("/etc/nines/slos"));
        assertThatThrownBy(() -> QueryApiConfig.load(new String[] {"--slo-topic=a topic"}, Map.of()))
                .hasMessage("slo-topic must be a Kafka topic name (letters, digits, '.', '_', '-'), was 'a topic'");
    }

    @Test
    void slosPruneIsAFlagThatNeedsADirectory() {
        assertThat(QueryApiConfig.load(new String[] {"--slos=/etc/nines/slos"}, Map.of()).slos().prune()).isFalse();
        assertThat(QueryApiConfig.load(new String[] {"--slos=/etc/nines/slos", "--slos-prune"}, Map.of()).slos()
                .prune()).isTrue();
        assertThatThrownBy(() -> QueryApiConfig.load(new String[] {"--slos-prune"}, Map.of()))
                .hasMessage("slos-prune needs --slos=DIR: it deletes SLOs that DIR no longer has");
    }

    @Test
    void argumentsWinOverEnvironmentWhichWinsOverDefaults() {
        QueryApiConfig config = QueryApiConfig.load(new String[] {"--port=9090"}, Map.of(
                "NINES_QUERY_API_PORT", "7070",
                "NINES_QUERY_API_HOST", "0.0.0.0",
                "NINES_CLICKHOUSE_URL", "jdbc:clickhouse://ch:8123/prod",
                "NINES_CLICKHOUSE_CLUSTER", "main"));
        assertThat(config.port()).isEqualTo(9090);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.clickHouse().schema().database()).isEqualTo("prod");
        assertThat(config.clickHouse().cluster()).contains("main");
    }

    @Test
    void failsLoudlyOnUnknownOrMalformedOptions() {
        assertThatThrownBy(() -> QueryApiConfig.load(new String[] {"--prot=1"}, Map.of()))
                .hasMessageStartingWith("unknown option --prot");
        assertThatThrownBy(() -> QueryApiConfig.load(new String[] {"port=1"}, Map.of()))
                .hasMessage("expected --key=value but got 'port=1'");
        assertThatThrownBy(() -> QueryApiConfig.load(new String[] {"--port=http"}, Map.of()))
                .hasMessage("--port must be a whole number, was 'http'");
        assertThatThrownBy(() -> QueryApiConfig.load(new String[] {"--port=70000"}, Map.of()))
                .hasMessage("port must be within 0..65535, was 70000");
    }
}
