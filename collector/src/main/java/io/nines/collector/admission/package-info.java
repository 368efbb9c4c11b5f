/** Who may send and how much: ingest tokens with rate limits, the in-flight budget, Kafka's health. */
package io.nines.collector.admission;
