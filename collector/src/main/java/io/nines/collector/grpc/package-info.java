/** The OTLP/gRPC receiver: TraceService, MetricsService and LogsService, answering with gRPC status codes. */
package io.nines.collector.grpc;
