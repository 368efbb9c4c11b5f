/** Writes records to Kafka and acknowledges them only once the brokers have them. */
package io.nines.collector.kafka;
