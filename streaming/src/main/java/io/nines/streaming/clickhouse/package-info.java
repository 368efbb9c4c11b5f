/** Writing the job's results to ClickHouse: batched, retried, idempotent. */
package io.nines.streaming.clickhouse;
