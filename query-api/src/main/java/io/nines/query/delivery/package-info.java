/** Pages that arrive: consumes alert transitions from Kafka and delivers them to PagerDuty, Slack and webhooks, at least once, deduplicated. */
package io.nines.query.delivery;
