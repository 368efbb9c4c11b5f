package io.nines.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.nines.collector.pipeline.DeliveryException;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka stops while clients of both transports keep sending: they get retryable answers, the collector holds no
 * more than its budget, and once Kafka is back a read_committed reader sees every span the collector acknowledged
 * exactly once, and nothing else: requests refused after they were sent (their transaction aborted) and retried
 * until acknowledged are there once, and the last request a client gave up on is not there at all.
 */
@ExtendWith(NinesInfra.class)
class KafkaOutageUnderLoadTest {

    private static final int SPANS_PER_REQUEST = 50;
    private static final long INFLIGHT_BYTES = 32L * 1024 * 1024;
    private static final Duration CLIENT_PAUSE = Duration.ofMillis(100);

    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refusedAfterSend = new AtomicInteger();
    private final AtomicInteger acknowledgedRequests = new AtomicInteger();
    private final Map<String, AtomicInteger> retryable = new ConcurrentHashMap<>();
    private final AtomicInteger unexpected = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);

    @Test
    void answersRetryablyDuringAnOutageAndLosesNothingItAcknowledged(EmbeddedKafka kafka) throws Exception {
        String topic = NinesInfra.uniqueName("outage");
        kafka.createTopic(topic, 2);
        ExecutorService clients = Executors.newFixedThreadPool(3);
        AtomicLong maxInflightBytes = new AtomicLong();
        try (RunningCollector collector = CollectorMain.start(TestConfigs.builder(kafka.bootstrapServers(), topic)
                .inflight(INFLIGHT_BYTES, 64).build())) {
            TestRequests admin = new TestRequests(collector.metricsPort());
            List<Future<?>> load = List.of(
                    clients.submit(() -> httpClient(collector.otlpHttpPort(), 1_000_000L)),
                    clients.submit(() -> httpClient(collector.otlpHttpPort(), 2_000_000L)),
                    clients.submit(() -> grpcClient(collector.otlpGrpcPort(), 3_000_000L)));
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledgedRequests.get() >= 20);

            kafka.stop();
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    maxInflightBytes.accumulateAndGet((long) gauge(admin, "nines_collector_inflight_bytes"), Math::max);
                    return retryable.values().stream().mapToInt(AtomicInteger::get).sum() >= 10
                            && admin.get("/ready").statusCode() == 503;
                });
            } finally {
                kafka.start();
            }
            int beforeReturn = acknowledgedRequests.get();
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledgedRequests.get() >= beforeReturn + 20);
            running.set(false);
            for (Future<?> client : load) {
                client.get(60, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/ready").statusCode() == 200);
        } finally {
            running.set(false);
            clients.shutdownNow();
        }

        assertThat(unexpected.get()).isZero();
        // a client whose request was in a group with its commit in flight when Kafka stopped is held until Kafka
        // says how the commit ended, so not every transport is sure to see a refusal; the others are refused
        assertThat(retryable.keySet()).isNotEmpty().isSubsetOf("429", "503", "UNAVAILABLE");
        assertThat(retryable.values().stream().mapToInt(AtomicInteger::get).sum()).isGreaterThanOrEqualTo(10);
        assertThat(maxInflightBytes.get()).isLessThanOrEqualTo(INFLIGHT_BYTES);
        Map<Long, Integer> copies = new HashMap<>();
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
            reader.awaitUntil(Duration.ofSeconds(60), records -> Spans.spanIds(records).containsAll(acknowledged));
            for (long id : Spans.spanIds(reader.drain(Duration.ofSeconds(1)))) {
                copies.merge(id, 1, Integer::sum);
            }
        }
        List<Long> notExactlyOnce = new ArrayList<>();
        List<Long> missing = new ArrayList<>();
        for (long id : acknowledged) {
            int found = copies.getOrDefault(id, 0);
            if (found == 0) {
                missing.add(id);
            } else if (found != 1) {
                notExactlyOnce.add(id);
            }
        }
        List<Long> neverAcknowledged = copies.keySet().stream().filter(id -> !acknowledged.contains(id)).toList();
        assertThat(acknowledged).hasSize(acknowledgedRequests.get() * SPANS_PER_REQUEST);
        assertThat(missing).as("acknowledged spans missing in Kafka").isEmpty();
        assertThat(notExactlyOnce).as("acknowledged spans in Kafka more than once").isEmpty();
        assertThat(neverAcknowledged).as("spans of refused requests visible to read_committed").isEmpty();
        assertThat(copies).hasSize(acknowledged.size());
        System.out.printf("outage: %d requests acknowledged, %d spans each exactly once, %d refusals after a send%n",
                acknowledgedRequests.get(), acknowledged.size(), refusedAfterSend.get());
    }

    /** Sends requests one after another, repeating a refused one until it is acknowledged. */
    private void httpClient(int port, long firstId) {
        TestRequests client = new TestRequests(port);
        long next = firstId;
        ExportTraceServiceRequest request = Spans.request("http-" + firstId, next, SPANS_PER_REQUEST);
        while (running.get()) {
            try {
                HttpResponse<byte[]> response = client.postTraces(request);
                if (response.statusCode() == 200) {
                    acknowledge(next);
                    next += SPANS_PER_REQUEST;
                    request = Spans.request("http-" + firstId, next, SPANS_PER_REQUEST);
                    continue;
                }
                if (response.statusCode() == 429 || response.statusCode() == 503) {
                    assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
                    if (com.google.rpc.Status.parseFrom(response.body()).getMessage()
                            .equals(DeliveryException.NOT_ACKNOWLEDGED)) {
                        refusedAfterSend.incrementAndGet();
                    }
                    retryable.computeIfAbsent(Integer.toString(response.statusCode()), k -> new AtomicInteger())
                            .incrementAndGet();
                } else {
                    unexpected.incrementAndGet();
                }
                Thread.sleep(CLIENT_PAUSE.toMillis()); // a client's backoff, not a wait for a condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                unexpected.incrementAndGet();
            }
        }
    }

    private void grpcClient(int port, long firstId) {
        ManagedChannel channel = GrpcClients.channel(port);
        try {
            long next = firstId;
            while (running.get()) {
                try {
                    // a group whose commit was in flight when Kafka stopped is answered only once Kafka says how it
                    // ended, after Kafka returns: a deadline shorter than the outage would make that answer unknown
                    TraceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(90, TimeUnit.SECONDS)
                            .export(Spans.request("grpc-" + firstId, next, SPANS_PER_REQUEST));
                    acknowledge(next);
                    next += SPANS_PER_REQUEST;
                } catch (StatusRuntimeException e) {
                    Status.Code code = e.getStatus().getCode();
                    if (DeliveryException.NOT_ACKNOWLEDGED.equals(e.getStatus().getDescription())) {
                        refusedAfterSend.incrementAndGet();
                    }
                    if (code == Status.Code.UNAVAILABLE && GrpcClients.retryDelay(e).isPresent()) {
                        retryable.computeIfAbsent(code.name(), k -> new AtomicInteger()).incrementAndGet();
                    } else {
                        unexpected.incrementAndGet();
                    }
                    Thread.sleep(CLIENT_PAUSE.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                GrpcClients.close(channel);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void acknowledge(long first) {
        acknowledged.addAll(Spans.range(first, SPANS_PER_REQUEST));
        acknowledgedRequests.incrementAndGet();
    }

    private static double gauge(TestRequests admin, String name) throws Exception {
        Matcher matcher = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(admin.get("/metrics").body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
