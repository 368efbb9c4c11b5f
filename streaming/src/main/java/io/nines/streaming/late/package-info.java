/** Spans and histogram points the minutes do not count (too late, or from a clock running ahead): counted and kept aside. */
package io.nines.streaming.late;
