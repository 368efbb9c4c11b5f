/** Latency as mergeable log-bucket counts: the one mapping that the stream writes and the API reads. */
package io.nines.core.latency;
