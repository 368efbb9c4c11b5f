/** Decoding OTLP trace records from Kafka into the span events the job aggregates. */
package io.nines.streaming.otlp;
