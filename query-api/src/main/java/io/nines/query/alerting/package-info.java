/** Alerting as teams manage and read it: notification targets, silences and maintenance windows, alerts and the notification log. */
package io.nines.query.alerting;
