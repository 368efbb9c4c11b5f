/** The ClickHouse schema: versioned, idempotent migrations, one source of truth for every table. */
package io.nines.core.schema;
