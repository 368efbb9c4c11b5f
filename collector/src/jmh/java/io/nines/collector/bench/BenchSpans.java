package io.nines.collector.bench;

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

/** Requests of realistic server spans (HTTP semantic conventions, about 800 bytes each), fixed by a seed. */
final class BenchSpans {

    private static final String[] ROUTES = {"/api/v1/orders/{id}", "/api/v1/carts/{id}/items", "/api/v1/search",
        "/api/v1/payments/{id}/capture", "/api/v1/users/{id}/profile"};

    private BenchSpans() {}

    static ExportTraceServiceRequest request(String service, int spans, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long start = System.currentTimeMillis() * 1_000_000L - 60_000_000_000L;
        ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder()
                .setName("io.opentelemetry.servlet-5.0").setVersion("2.10.0-alpha"));
        for (int i = 0; i < spans; i++) {
            String route = ROUTES[random.nextInt(ROUTES.length)];
            long id = random.nextLong(1, Long.MAX_VALUE);
            String path = route.replace("{id}", Long.toString(random.nextLong(1, 10_000_000)));
            long begin = start + random.nextLong(1_000_000_000L);
            int status = random.nextInt(100) < 2 ? 503 : 200;
            scope.addSpans(Span.newBuilder()
                    .setTraceId(bytes(random, 16))
                    .setSpanId(bytes(random, 8))
                    .setParentSpanId(bytes(random, 8))
                    .setName("GET " + route)
                    .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                    .setStartTimeUnixNano(begin)
                    .setEndTimeUnixNano(begin + random.nextLong(1_000_000L, 900_000_000L))
                    .addAttributes(string("http.request.method", "GET"))
                    .addAttributes(string("http.route", route))
                    .addAttributes(string("url.path", path))
                    .addAttributes(string("url.scheme", "https"))
                    .addAttributes(string("url.query", "trace=" + Long.toHexString(id) + "&page=" + random.nextInt(50)))
                    .addAttributes(integer("http.response.status_code", status))
                    .addAttributes(string("server.address", service + ".prod.internal.example.com"))
                    .addAttributes(integer("server.port", 8443))
                    .addAttributes(string("client.address", "10." + random.nextInt(256) + "." + random.nextInt(256)
                            + "." + random.nextInt(256)))
                    .addAttributes(string("network.protocol.version", "1.1"))
                    .addAttributes(string("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
                            + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"))
                    .addAttributes(string("thread.name", "http-nio-8443-exec-" + random.nextInt(200)))
                    .addAttributes(string("enduser.id", "user-" + Long.toHexString(random.nextLong())))
                    .addAttributes(string("http.request.header.x-request-id", java.util.UUID.nameUUIDFromBytes(
                            Long.toString(id).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString()))
                    .addAttributes(string("code.function", "com.example.shop.api.OrdersController.get"))
                    .addAttributes(integer("http.response.body.size", random.nextInt(200, 40_000)))
                    .setStatus(status >= 500 ? Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).build()
                            : Status.getDefaultInstance()));
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder()
                        .addAttributes(string("service.name", service))
                        .addAttributes(string("service.version", "4.18.2"))
                        .addAttributes(string("deployment.environment.name", "production"))
                        .addAttributes(string("host.name", service + "-7d9f8c6b5-x2kqp")))
                .addScopeSpans(scope)).build();
    }

    private static ByteString bytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return ByteString.copyFrom(bytes);
    }

    private static KeyValue string(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue integer(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }
}
