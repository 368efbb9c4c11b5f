package io.nines.collector.pipeline;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.List;

/** The {@link Layout}s of traces, metrics and logs. */
final class Layouts {

    private Layouts() {}

    static final Layout<ExportTraceServiceRequest, ResourceSpans> TRACES = new Layout<>() {
        @Override
        public List<ResourceSpans> resources(ExportTraceServiceRequest request) {
            return request.getResourceSpansList();
        }

        @Override
        public Resource resource(ResourceSpans resource) {
            return resource.getResource();
        }

        @Override
        public int items(ResourceSpans resource) {
            int count = 0;
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                count += scope.getSpansCount();
            }
            return count;
        }

        @Override
        public int elementItems(Message span) {
            return 1;
        }

        @Override
        public ExportTraceServiceRequest wrap(ResourceSpans resource) {
            return ExportTraceServiceRequest.newBuilder().addResourceSpans(resource).build();
        }
    };

    static final Layout<ExportMetricsServiceRequest, ResourceMetrics> METRICS = new Layout<>() {
        @Override
        public List<ResourceMetrics> resources(ExportMetricsServiceRequest request) {
            return request.getResourceMetricsList();
        }

        @Override
        public Resource resource(ResourceMetrics resource) {
            return resource.getResource();
        }

        @Override
        public int items(ResourceMetrics resource) {
            int count = 0;
            for (ScopeMetrics scope : resource.getScopeMetricsList()) {
                for (Metric metric : scope.getMetricsList()) {
                    count += MetricRules.points(metric);
                }
            }
            return count;
        }

        @Override
        public int elementItems(Message metric) {
            return MetricRules.points((Metric) metric);
        }

        @Override
        public ExportMetricsServiceRequest wrap(ResourceMetrics resource) {
            return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(resource).build();
        }
    };

    static final Layout<ExportLogsServiceRequest, ResourceLogs> LOGS = new Layout<>() {
        @Override
        public List<ResourceLogs> resources(ExportLogsServiceRequest request) {
            return request.getResourceLogsList();
        }

        @Override
        public Resource resource(ResourceLogs resource) {
            return resource.getResource();
        }

        @Override
        public int items(ResourceLogs resource) {
            int count = 0;
            for (ScopeLogs scope : resource.getScopeLogsList()) {
                count += scope.getLogRecordsCount();
            }
            return count;
        }

        @Override
        public int elementItems(Message log) {
            return 1;
        }

        @Override
        public ExportLogsServiceRequest wrap(ResourceLogs resource) {
            return ExportLogsServiceRequest.newBuilder().addResourceLogs(resource).build();
        }
    };
}
