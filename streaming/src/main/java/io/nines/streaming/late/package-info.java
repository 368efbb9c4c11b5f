/** What the minutes do not count (too late, also after a restore, or from a clock running ahead): counted and kept aside. */
package io.nines.streaming.late;
