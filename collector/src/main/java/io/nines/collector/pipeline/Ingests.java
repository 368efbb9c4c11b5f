package io.nines.collector.pipeline;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.Objects;

/** The three signals' ingests, shared by both receivers. */
public record Ingests(Ingest<ExportTraceServiceRequest> traces, Ingest<ExportMetricsServiceRequest> metrics,
        Ingest<ExportLogsServiceRequest> logs) {

    public Ingests {
        Objects.requireNonNull(traces, "traces");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(logs, "logs");
    }
}
