/** Per service, operation and minute of event time: counts, errors and a mergeable latency histogram. */
package io.nines.streaming.latency;
