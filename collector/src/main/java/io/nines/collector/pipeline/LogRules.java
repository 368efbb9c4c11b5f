package io.nines.collector.pipeline;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;

/**
 * A log record is kept when its trace and span ids are absent or of the right length (16 and 8 bytes; logs
 * outside a trace are normal) and neither its time nor its observed time is after the {@link Horizon}.
 */
final class LogRules implements Rules<ExportLogsServiceRequest> {

    private final Horizon horizon;

    LogRules(Horizon horizon) {
        this.horizon = horizon;
    }

    @Override
    public Checked<ExportLogsServiceRequest> check(ExportLogsServiceRequest request) {
        long latest = horizon.latestNanos();
        Tally tally = new Tally();
        for (ResourceLogs resource : request.getResourceLogsList()) {
            for (ScopeLogs scope : resource.getScopeLogsList()) {
                for (LogRecord log : scope.getLogRecordsList()) {
                    Rejection reason = verdict(log, latest);
                    if (reason != null) {
                        tally.add(reason, 1);
                    }
                }
            }
        }
        if (tally.isEmpty()) {
            return new Checked<>(request, tally.counts());
        }
        ExportLogsServiceRequest.Builder kept = request.toBuilder().clearResourceLogs();
        for (ResourceLogs resource : request.getResourceLogsList()) {
            ResourceLogs.Builder keptResource = resource.toBuilder().clearScopeLogs();
            for (ScopeLogs scope : resource.getScopeLogsList()) {
                ScopeLogs.Builder keptScope = scope.toBuilder().clearLogRecords();
                for (LogRecord log : scope.getLogRecordsList()) {
                    if (verdict(log, latest) == null) {
                        keptScope.addLogRecords(log);
                    }
                }
                keptResource.addScopeLogs(keptScope);
            }
            kept.addResourceLogs(keptResource);
        }
        return new Checked<>(kept.build(), tally.counts());
    }

    private static Rejection verdict(LogRecord log, long latest) {
        if (!log.getTraceId().isEmpty() && log.getTraceId().size() != 16) {
            return Rejection.INVALID_TRACE_ID;
        }
        if (!log.getSpanId().isEmpty() && log.getSpanId().size() != 8) {
            return Rejection.INVALID_SPAN_ID;
        }
        if (Horizon.after(log.getTimeUnixNano(), latest) || Horizon.after(log.getObservedTimeUnixNano(), latest)) {
            return Rejection.TOO_FAR_IN_FUTURE;
        }
        return null;
    }
}
