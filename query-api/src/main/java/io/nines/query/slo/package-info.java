/** SLO definitions: OpenSLO documents stored with their history in ClickHouse and published to Kafka. */
package io.nines.query.slo;
