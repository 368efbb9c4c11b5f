/** Hourly and daily rollups of closed latency minutes, computed where the writes live. */
package io.nines.streaming.rollup;
