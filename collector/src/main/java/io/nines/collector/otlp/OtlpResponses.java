package io.nines.collector.otlp;

import com.google.protobuf.Message;
import io.nines.collector.pipeline.IngestResult;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/**
 * Export responses, the same over both transports: empty when every item was taken, otherwise with
 * {@code partial_success} saying how many were rejected and why.
 */
public final class OtlpResponses {

    private OtlpResponses() {}

    public static ExportTraceServiceResponse traces(IngestResult result) {
        if (result.rejected() == 0) {
            return ExportTraceServiceResponse.getDefaultInstance();
        }
        return ExportTraceServiceResponse.newBuilder().setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                .setRejectedSpans(result.rejected()).setErrorMessage(result.message())).build();
    }

    public static ExportMetricsServiceResponse metrics(IngestResult result) {
        if (result.rejected() == 0) {
            return ExportMetricsServiceResponse.getDefaultInstance();
        }
        return ExportMetricsServiceResponse.newBuilder().setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                .setRejectedDataPoints(result.rejected()).setErrorMessage(result.message())).build();
    }

    public static ExportLogsServiceResponse logs(IngestResult result) {
        if (result.rejected() == 0) {
            return ExportLogsServiceResponse.getDefaultInstance();
        }
        return ExportLogsServiceResponse.newBuilder().setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                .setRejectedLogRecords(result.rejected()).setErrorMessage(result.message())).build();
    }

    static Message of(IngestResult result) {
        return switch (result.signal()) {
            case TRACES -> traces(result);
            case METRICS -> metrics(result);
            case LOGS -> logs(result);
        };
    }
}
