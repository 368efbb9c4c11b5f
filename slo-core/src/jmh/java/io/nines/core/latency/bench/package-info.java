/** JMH benchmarks and the accuracy report of the latency sketch against exact quantiles and its peers. */
package io.nines.core.latency.bench;
