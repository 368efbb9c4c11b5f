package io.nines.collector;

import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Telemetry as the OpenTelemetry SDK hands it to exporters. */
final class SdkData {

    static final Instant T0 = Instant.now().minusSeconds(60);

    private SdkData() {}

    static Resource service(String name) {
        return Resource.create(Attributes.of(stringKey("service.name"), name));
    }

    /** Spans of {@code service} that began at T0 and lasted the given milliseconds. */
    static List<SpanData> finishedSpans(String service, String name, long... millis) {
        List<SpanData> finished = new CopyOnWriteArrayList<>();
        SpanExporter capture = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                finished.addAll(spans);
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
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(service(service))
                .addSpanProcessor(SimpleSpanProcessor.create(capture))
                .build()) {
            Tracer tracer = provider.get("io.nines.collector.test");
            for (long duration : millis) {
                Span span = tracer.spanBuilder(name).setSpanKind(SpanKind.SERVER).setStartTimestamp(T0).startSpan();
                span.end(T0.plusMillis(duration));
            }
        }
        return List.copyOf(finished);
    }
}
