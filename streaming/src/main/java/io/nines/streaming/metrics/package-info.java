/** OTLP latency histograms (explicit-bucket and exponential) mapped onto the spans' latency buckets. */
package io.nines.streaming.metrics;
