/** Load and fault protection in front of the services: bulkheads, time limits, rate limits, stale answers. */
package io.nines.query.resilience;
