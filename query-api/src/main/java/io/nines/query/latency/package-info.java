/** Latency of services and operations, read from per-minute sketches merged in ClickHouse. */
package io.nines.query.latency;
