package io.nines.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.rpc.Status;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With Kafka gone the collector tells clients to come back later, and acknowledges only what Kafka holds. */
@ExtendWith(NinesInfra.class)
class KafkaOutageTest {

    @Test
    void answers503WithRetryAfterWhileKafkaIsDownAndAcknowledgesOnlyWhatKafkaHolds(EmbeddedKafka kafka)
            throws Exception {
        String topic = NinesInfra.uniqueName("spans");
        kafka.createTopic(topic, 1);
        List<String> acknowledged = new ArrayList<>();
        try (RunningCollector collector = CollectorMain.start(TestConfigs.collector(kafka.bootstrapServers(), topic))) {
            TestRequests client = new TestRequests(collector.otlpHttpPort());
            assertThat(client.postTraces(TestRequests.oneSpan("before", "GET /", 5)).statusCode()).isEqualTo(200);
            acknowledged.add("before");

            HttpResponse<byte[]> refused;
            kafka.stop();
            Duration waited;
            try {
                long started = System.nanoTime();
                refused = client.postTraces(TestRequests.oneSpan("during", "GET /", 5));
                waited = Duration.ofNanos(System.nanoTime() - started);
            } finally {
                kafka.start();
            }

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(Status.parseFrom(refused.body()).getMessage())
                    .startsWith("the collector cannot store data right now");
            // at once when the health probe saw the outage first, else after the delivery timeout; never later
            assertThat(waited).isLessThan(TestConfigs.DELIVERY_TIMEOUT.plusSeconds(2));

            AtomicInteger attempt = new AtomicInteger();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                String service = "after-" + attempt.incrementAndGet();
                boolean ok = client.postTraces(TestRequests.oneSpan(service, "GET /", 5)).statusCode() == 200;
                if (ok) {
                    acknowledged.add(service);
                }
                return ok;
            });

            String metrics = new TestRequests(collector.metricsPort()).get("/metrics").body();
            assertThat(metrics).contains(
                    "nines_collector_requests_total{outcome=\"accepted\",reason=\"none\",signal=\"traces\","
                            + "transport=\"http\"} 2.0");
        }

        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
            List<String> keys = reader.awaitAtLeast(2).stream().map(ConsumerRecord::key).toList();
            assertThat(keys).containsAll(acknowledged).doesNotContain("during");
            assertThat(keys.stream().filter("before"::equals)).hasSize(1);
        }
    }
}
