package io.nines.streaming.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.SplittableRandom;

/**
 * Records shaped as an OTel Java SDK behind our collector writes them: one service's ResourceSpans per
 * record, with the resource and span attributes of the HTTP semantic conventions (about 300 bytes a span).
 * Every span is a SERVER span, so every span counts; latencies are lognormal (median 40 ms, sigma 0.8),
 * 1 % fail with HTTP 500. Deterministic for a seed.
 */
final class BenchSpans {

    static final int SERVICES = 10;
    static final int OPERATIONS = 5;
    private static final String[] ROUTES = {"/api/v1/items/{id}", "/api/v1/items", "/api/v1/cart", "/checkout",
            "/health"};
    private static final String[] METHODS = {"GET", "GET", "POST", "POST", "GET"};

    private final SplittableRandom random;
    private final int spansPerRecord;
    private final long nanosBetweenSpans;
    private long nextEndNanos;
    private final byte[] id16 = new byte[16];
    private final byte[] id8 = new byte[8];

    /**
     * @param startEpochNanos the first span's end
     * @param spansPerSecond how densely spans fill event time, across all services
     */
    BenchSpans(long seed, int spansPerRecord, long startEpochNanos, long spansPerSecond) {
        this.random = new SplittableRandom(seed);
        this.spansPerRecord = spansPerRecord;
        this.nanosBetweenSpans = 1_000_000_000L / spansPerSecond;
        this.nextEndNanos = startEpochNanos;
    }

    static String service(int index) {
        return "svc-" + index;
    }

    /** The next record: {@code spansPerRecord} spans of one service, ending in event-time order up to 2 s apart. */
    byte[] nextRecord() {
        int service = random.nextInt(SERVICES);
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.jetty-12.0").setVersion("2.9.0"));
        for (int i = 0; i < spansPerRecord; i++) {
            scope.addSpans(span(service, nextEndNanos - random.nextLong(2_000_000_000L)));
            nextEndNanos += nanosBetweenSpans;
        }
        return request(service, scope).toByteArray();
    }

    /** A record of {@code count} spans ending at {@code endEpochNanos} (for the real-time freshness run). */
    byte[] recordEndingAt(long endEpochNanos, int count) {
        int service = random.nextInt(SERVICES);
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int i = 0; i < count; i++) {
            scope.addSpans(span(service, endEpochNanos));
        }
        return request(service, scope).toByteArray();
    }

    private ExportTraceServiceRequest request(int service, ScopeSpans.Builder scope) {
        Resource resource = Resource.newBuilder()
                .addAttributes(text("service.name", service(service)))
                .addAttributes(text("service.version", "1.4." + service))
                .addAttributes(text("service.instance.id", "7f3c2a9e-0b1d-4c55-9a61-" + (100_000_000_000L + service)))
                .addAttributes(text("host.name", "node-" + service + ".prod.internal"))
                .addAttributes(text("deployment.environment.name", "production"))
                .addAttributes(text("telemetry.sdk.language", "java"))
                .addAttributes(text("telemetry.sdk.name", "opentelemetry"))
                .addAttributes(text("telemetry.sdk.version", "1.68.0"))
                .build();
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
                .build();
    }

    private Span span(int service, long endNanos) {
        int op = random.nextInt(OPERATIONS);
        long durationNanos = (long) (Math.exp(Math.log(40) + 0.8 * random.nextGaussian()) * 1e6);
        boolean error = random.nextInt(100) == 0;
        random.nextBytes(id16);
        Span.Builder span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(id16))
                .setSpanId(ByteString.copyFrom(nextId()))
                .setParentSpanId(ByteString.copyFrom(nextId()))
                .setName(METHODS[op] + " " + ROUTES[op])
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(endNanos - durationNanos)
                .setEndTimeUnixNano(endNanos)
                .addAttributes(text("http.request.method", METHODS[op]))
                .addAttributes(text("http.route", ROUTES[op]))
                .addAttributes(text("url.path", ROUTES[op].replace("{id}", Integer.toString(random.nextInt(100_000)))))
                .addAttributes(integer("http.response.status_code", error ? 500 : 200))
                .addAttributes(text("server.address", service(service) + ".prod.internal"))
                .addAttributes(integer("server.port", 8080))
                .addAttributes(text("network.protocol.version", "1.1"))
                .addAttributes(text("client.address", "10.0." + random.nextInt(256) + "." + random.nextInt(256)))
                .addAttributes(text("user_agent.original", "okhttp/4.12.0"));
        if (error) {
            span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        }
        return span.build();
    }

    private byte[] nextId() {
        random.nextBytes(id8);
        return id8;
    }

    private static KeyValue text(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue integer(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }
}
