/** Benchmarks of the streaming job: the whole job on real parts (throughput, freshness, stored-sketch accuracy) and JMH of its per-span kernel; not tests. */
package io.nines.streaming.bench;
