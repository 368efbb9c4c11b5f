/** The collector's load harness: throughput per core against a real Kafka broker, and behaviour under overload. */
package io.nines.collector.bench;
