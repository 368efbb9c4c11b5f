/** SLO alerting: burn-rate and budget alert rules, their default multiwindow policy, and the alert transition codec. */
package io.nines.core.alerting;
