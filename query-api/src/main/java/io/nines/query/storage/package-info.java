/** ClickHouse access: the connection pool, the schema migration at startup, readiness. */
package io.nines.query.storage;
