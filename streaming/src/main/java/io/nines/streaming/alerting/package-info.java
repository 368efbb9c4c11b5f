/**
 * Alerting on the SLO event stream: count and latency panes per SLO, burn-rate, budget and latency rule
 * evaluation, alert transitions.
 */
package io.nines.streaming.alerting;
