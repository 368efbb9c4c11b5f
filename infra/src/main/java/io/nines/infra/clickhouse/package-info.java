/** An embedded ClickHouse: chDB behind the ClickHouse HTTP interface, so clients need no special driver. */
package io.nines.infra.clickhouse;
