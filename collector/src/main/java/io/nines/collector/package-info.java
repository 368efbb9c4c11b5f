/** Receives OTLP and writes it to Kafka. */
package io.nines.collector;
