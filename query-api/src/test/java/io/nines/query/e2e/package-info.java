/** End-to-end: the OpenTelemetry SDK through collector, Kafka, the Flink job and ClickHouse to the API. */
package io.nines.query.e2e;
