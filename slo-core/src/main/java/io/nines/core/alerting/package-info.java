/**
 * SLO alerting: burn-rate, budget and latency alert rules, their default multiwindow policy, and the alert
 * transition codec.
 */
package io.nines.core.alerting;
