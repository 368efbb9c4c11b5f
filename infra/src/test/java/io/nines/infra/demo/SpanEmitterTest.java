package io.nines.infra.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SpanEmitterTest {

    private static final Instant START = Instant.parse("2026-11-29T12:00:00Z");
    private static final long START_NANOS = START.getEpochSecond() * 1_000_000_000L;

    @Test
    void emitsEachSpanFromItsServiceWithSimulatedTimesParentsAndHttpAttributes() {
        List<SpanData> exported = new CopyOnWriteArrayList<>();
        List<SdkTracerProvider> providers = new ArrayList<>();
        Map<String, Tracer> tracers = new HashMap<>();
        SeededIds ids = new SeededIds(new Random(5));
        for (String service : List.of("checkout", "payments")) {
            SdkTracerProvider provider = SdkTracerProvider.builder()
                    .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
                    .setIdGenerator(ids)
                    .addSpanProcessor(SimpleSpanProcessor.create(capturing(exported)))
                    .build();
            providers.add(provider);
            tracers.put(service, provider.get("test"));
        }
        List<SimulatedSpan> trace = List.of(
                new SimulatedSpan(-1, "checkout", "POST /checkout", SpanKind.SERVER, "POST", "/checkout", null,
                        0, 130_000_000, 502, true),
                new SimulatedSpan(0, "checkout", "POST /charge", SpanKind.CLIENT, "POST", "/charge", "payments",
                        10_000_000, 100_000_000, 500, true),
                new SimulatedSpan(1, "payments", "POST /charge", SpanKind.SERVER, "POST", "/charge", null,
                        10_300_000, 99_700_000, 500, true));

        new SpanEmitter(tracers).emit(trace, START);
        providers.forEach(SdkTracerProvider::close);

        assertThat(exported).hasSize(3);
        List<SpanData> byStart = exported.stream()
                .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
        SpanData root = byStart.get(0);
        SpanData client = byStart.get(1);
        SpanData server = byStart.get(2);
        assertThat(root.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("checkout");
        assertThat(server.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("payments");
        assertThat(root.getStartEpochNanos()).isEqualTo(START_NANOS);
        assertThat(root.getEndEpochNanos() - root.getStartEpochNanos()).isEqualTo(130_000_000L);
        assertThat(server.getEndEpochNanos() - server.getStartEpochNanos()).isEqualTo(89_400_000L);
        assertThat(client.getParentSpanId()).isEqualTo(root.getSpanId());
        assertThat(server.getParentSpanId()).isEqualTo(client.getSpanId());
        assertThat(server.getTraceId()).isEqualTo(root.getTraceId());
        assertThat(root.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(client.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(root.getAttributes().get(SpanEmitter.ROUTE)).isEqualTo("/checkout");
        assertThat(root.getAttributes().get(SpanEmitter.METHOD)).isEqualTo("POST");
        assertThat(root.getAttributes().get(SpanEmitter.STATUS)).isEqualTo(502L);
        assertThat(client.getAttributes().get(SpanEmitter.SERVER_ADDRESS)).isEqualTo("payments");
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    private static SpanExporter capturing(List<SpanData> into) {
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                into.addAll(spans);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
    }
}
