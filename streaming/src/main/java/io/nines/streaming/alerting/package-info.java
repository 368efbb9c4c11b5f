/** Multiwindow burn-rate alerting on the SLO event stream: panes per SLO, rule evaluation, alert transitions. */
package io.nines.streaming.alerting;
