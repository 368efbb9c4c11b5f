package io.nines.collector.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Overload that is real: Kafka is made the bottleneck with a broker quota ({@code producer_byte_rate} for every
 * user, so the collector's producers share it), the collector's sustainable rate under it is measured with closed-loop
 * clients, then three times that rate is offered open loop, every request distinct. Afterwards every span in the
 * topic is traced back to its request: each acknowledged request must be there exactly once, whole, and no other.
 */
final class Overload {

    private static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");
    /** At most this many requests outstanding; more are counted as not sent. */
    static final int MAX_OUTSTANDING = 256;

    private final String bootstrap;
    private final String topic;
    private final int httpPort;
    private final StampedRequests requests;
    private final int spansPerRequest;
    private final AtomicLong sequence = new AtomicLong();
    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final OkHttpClient http = client();
    /** Requests whose body the client sent: refused ones are not, when refused before the body is read. */
    private final AtomicLong uploaded = new AtomicLong();

    Overload(String bootstrap, String topic, int httpPort, ExportTraceServiceRequest template) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.httpPort = httpPort;
        this.requests = StampedRequests.of(template);
        this.spansPerRequest = spans(template);
    }

    /** Limits what every producer of the broker may write together, in bytes per second (record batches as sent). */
    static void limitProducers(String bootstrap, long bytesPerSecond) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<String, String> defaultUser = new HashMap<>();
            defaultUser.put(ClientQuotaEntity.USER, null);
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(new ClientQuotaEntity(defaultUser),
                    List.of(new ClientQuotaAlteration.Op("producer_byte_rate", (double) bytesPerSecond)))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Closed loop: {@code clients} threads each sending the next distinct request when the last was answered. */
    Load closedLoop(int clients, Duration duration) throws InterruptedException {
        return Load.closedLoop(clients, duration, () -> () -> {
            long number = sequence.incrementAndGet();
            try (Response response = http.newCall(request(number)).execute()) {
                response.body().bytes();
                if (response.code() == 200) {
                    acknowledged.add(number);
                }
                return Integer.toString(response.code());
            }
        });
    }

    /** What an open-loop phase did. */
    record OpenLoop(long offered, long sent, long notSent, long bodiesSent, Load answers) {}

    /**
     * Open loop: a new distinct request every {@code 1 / requestsPerSecond} seconds whether or not earlier ones were
     * answered, as an SDK fleet does, with {@code Expect: 100-continue}; waits for every answer.
     */
    OpenLoop openLoop(double requestsPerSecond, Duration duration) throws InterruptedException {
        Load load = new Load();
        Semaphore outstanding = new Semaphore(MAX_OUTSTANDING);
        AtomicLong offered = new AtomicLong();
        AtomicLong notSent = new AtomicLong();
        // copying the template costs a fraction of a millisecond; not on the ticker, so that it keeps its schedule
        ExecutorService stamping = Executors.newSingleThreadExecutor();
        long uploadedBefore = uploaded.get();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long periodMicros = (long) (1_000_000 / requestsPerSecond);
        ticker.scheduleAtFixedRate(() -> {
            offered.incrementAndGet();
            if (!outstanding.tryAcquire()) {
                notSent.incrementAndGet();
                return;
            }
            stamping.execute(() -> {
                long number = sequence.incrementAndGet();
                http.newCall(request(number)).enqueue(new Callback() {
                    @Override
                    public void onResponse(Call call, Response response) {
                        try (response) {
                            response.body().bytes();
                            if (response.code() == 200) {
                                acknowledged.add(number);
                            }
                            load.record(Integer.toString(response.code()));
                        } catch (IOException e) {
                            load.record(e.getClass().getSimpleName());
                        } finally {
                            outstanding.release();
                        }
                    }

                    @Override
                    public void onFailure(Call call, IOException e) {
                        load.record(e.getClass().getSimpleName());
                        outstanding.release();
                    }
                });
            });
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        ticker.awaitTermination(duration.toMillis(), TimeUnit.MILLISECONDS);
        ticker.shutdownNow();
        stamping.shutdown();
        stamping.awaitTermination(10, TimeUnit.SECONDS);
        outstanding.acquire(MAX_OUTSTANDING);
        return new OpenLoop(offered.get(), offered.get() - notSent.get(), notSent.get(),
                uploaded.get() - uploadedBefore, load);
    }

    /** What a read_committed reader finds in the topic, request by request. */
    record Audit(long acknowledgedRequests, long requestsInKafka, long spansInKafka, long acknowledgedMissing,
            long duplicatedOrPartial, long unacknowledgedInKafka) {

        boolean exactlyOnce() {
            return acknowledgedMissing == 0 && duplicatedOrPartial == 0 && requestsInKafka == acknowledgedRequests
                    && unacknowledgedInKafka == 0;
        }
    }

    Audit audit() throws Exception {
        Map<Long, Long> spansByRequest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    ExportTraceServiceRequest decoded = ExportTraceServiceRequest.parseFrom(record.value());
                    decoded.getResourceSpansList().stream().flatMap(r -> r.getScopeSpansList().stream())
                            .flatMap(s -> s.getSpansList().stream()).map(Span::getTraceId)
                            .forEach(id -> spansByRequest.merge(StampedRequests.sequenceOf(id), 1L, Long::sum));
                }
            }
        }
        long spans = spansByRequest.values().stream().mapToLong(Long::longValue).sum();
        long missing = acknowledged.stream().filter(n -> !spansByRequest.containsKey(n)).count();
        long wrongCount = spansByRequest.values().stream().filter(count -> count != spansPerRequest).count();
        long unacknowledged = spansByRequest.keySet().stream().filter(n -> !acknowledged.contains(n)).count();
        return new Audit(acknowledged.size(), spansByRequest.size(), spans, missing, wrongCount, unacknowledged);
    }

    long acknowledgedSpans() {
        return (long) acknowledged.size() * spansPerRequest;
    }

    private Request request(long number) {
        byte[] body = requests.stamped(number);
        return new Request.Builder().url("http://127.0.0.1:" + httpPort + "/v1/traces")
                .header("Expect", "100-continue")
                .post(new RequestBody() {
                    @Override
                    public MediaType contentType() {
                        return PROTOBUF;
                    }

                    @Override
                    public long contentLength() {
                        return body.length;
                    }

                    @Override
                    public void writeTo(BufferedSink sink) throws IOException {
                        // called only once the collector asked for the body (100 Continue)
                        uploaded.incrementAndGet();
                        sink.write(body);
                    }
                }).build();
    }

    /** OkHttp, which sends a body only after 100 Continue and takes a refusal instead; as many calls as allowed. */
    private static OkHttpClient client() {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(MAX_OUTSTANDING);
        dispatcher.setMaxRequestsPerHost(MAX_OUTSTANDING);
        return new OkHttpClient.Builder().dispatcher(dispatcher).protocols(List.of(Protocol.HTTP_1_1))
                .retryOnConnectionFailure(false).callTimeout(Duration.ofSeconds(60))
                .connectionPool(new ConnectionPool(MAX_OUTSTANDING, 1, TimeUnit.MINUTES)).build();
    }

    private static int spans(ExportTraceServiceRequest request) {
        return request.getResourceSpansList().stream().flatMap(r -> r.getScopeSpansList().stream())
                .mapToInt(ScopeSpans::getSpansCount).sum();
    }
}
