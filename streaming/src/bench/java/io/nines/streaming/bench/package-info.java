/** Benchmarks of the whole streaming job on real parts (throughput, freshness, stored-sketch accuracy); not tests. */
package io.nines.streaming.bench;
