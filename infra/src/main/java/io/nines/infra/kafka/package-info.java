/** The embedded single-node KRaft Kafka broker and its topic tool. */
package io.nines.infra.kafka;
