/** SLO definitions from Kafka, each span tested against its service's SLOs, good and total events per minute. */
package io.nines.streaming.slo;
