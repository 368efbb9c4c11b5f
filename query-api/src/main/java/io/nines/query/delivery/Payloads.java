package io.nines.query.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nines.core.alerting.AlertRule;
import io.nines.core.alerting.AlertTransition;
import io.nines.core.alerting.LatencyObservation;
import io.nines.core.alerting.LatencyRule;
import io.nines.core.alerting.Severity;
import io.nines.core.slo.NotificationTarget;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The request body each kind of target understands: PagerDuty Events API v2, Slack incoming webhooks, and the
 * Alertmanager webhook (version 4) for anything else, so every receiver that takes Alertmanager takes Nines.
 * A transition caused by a latency rule says what the rule saw ("p99 was 742 ms over 5m (threshold 300 ms)") in
 * its summary and details.
 */
final class Payloads {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Alertmanager's "not ended yet". */
    private static final String NOT_ENDED = "0001-01-01T00:00:00Z";

    private final String externalUrl;

    Payloads(String externalUrl) {
        this.externalUrl = externalUrl.endsWith("/") ? externalUrl.substring(0, externalUrl.length() - 1)
                : externalUrl;
    }

    String body(NotificationTarget target, AlertTransition transition) {
        ObjectNode body = switch (target.kind()) {
            case PAGERDUTY -> pagerDuty(target, transition);
            case SLACK -> slack(transition);
            case WEBHOOK -> alertmanager(target, transition);
        };
        return body.toString();
    }

    /** An Events API v2 event; {@code dedup_key} is the incident, so trigger and resolve meet in one PagerDuty incident. */
    ObjectNode pagerDuty(NotificationTarget target, AlertTransition t) {
        ObjectNode event = JSON.createObjectNode();
        event.put("routing_key", target.routingKey().orElseThrow());
        event.put("event_action", firing(t) ? "trigger" : "resolve");
        event.put("dedup_key", t.incidentId());
        ObjectNode payload = event.putObject("payload");
        payload.put("summary", summary(t));
        payload.put("source", "nines/" + t.service());
        payload.put("severity", t.severity() == Severity.PAGE ? "critical" : "warning");
        payload.put("timestamp", t.at().toString());
        payload.put("component", t.service());
        payload.put("group", t.team());
        payload.put("class", LatencyRule.isNamed(t.rule()) ? "slo-latency" : "slo-burn-rate");
        ObjectNode details = payload.putObject("custom_details");
        details.put("slo", t.slo());
        details.put("rule", t.rule());
        t.latency().ifPresent(seen -> {
            ObjectNode latency = details.putObject("latency");
            latency.put("quantile", seen.quantile());
            latency.put("lookback", AlertRule.label(seen.lookback()));
            latency.put("thresholdMillis", seen.thresholdMillis());
            latency.put("observedMillis", seen.observedMillis());
            latency.put("spans", seen.spans());
        });
        ObjectNode rates = details.putObject("burnRates");
        t.burnRates().forEach(rates::put);
        details.put("budgetConsumed", t.budgetConsumed());
        details.put("alertId", t.alertId());
        details.put("sequence", t.sequence());
        event.put("client", "Nines");
        event.put("client_url", sloUrl(t));
        return event;
    }

    /** A message with a plain-text fallback and Block Kit blocks. */
    ObjectNode slack(AlertTransition t) {
        ObjectNode message = JSON.createObjectNode();
        String headline = (firing(t) ? ":rotating_light: FIRING" : ":white_check_mark: RESOLVED") + " "
                + t.slo() + " (" + t.severity().label() + ")";
        message.put("text", escape(headline + ": " + summary(t)));
        ArrayNode blocks = message.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", headline);
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text",
                "*" + escape(summary(t)) + "*\n*Service* " + escape(t.service()) + "  *Team* " + escape(t.team())
                        + "  *Rule* `" + escape(t.rule()) + "`");
        ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
        t.latency().ifPresent(seen -> fields.addObject().put("type", "mrkdwn").put("text",
                "*" + LatencyRule.quantileLabel(seen.quantile()) + " over " + AlertRule.label(seen.lookback())
                        + "*\n" + LatencyObservation.millisLabel(seen.observedMillis()) + " ms (threshold "
                        + LatencyObservation.millisLabel(seen.thresholdMillis()) + " ms)"));
        t.burnRates().forEach((window, rate) -> fields.addObject().put("type", "mrkdwn")
                .put("text", "*Burn rate " + window + "*\n" + String.format(Locale.ROOT, "%.2f", rate)));
        blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn").put("text",
                String.format(Locale.ROOT, "Budget consumed %.1f %%", 100 * t.budgetConsumed()) + "  |  <"
                        + sloUrl(t) + "|Open in Nines>  |  incident " + escape(t.incidentId()));
        return message;
    }

    /** The Alertmanager webhook payload, version 4, with one alert. */
    ObjectNode alertmanager(NotificationTarget target, AlertTransition t) {
        ObjectNode body = JSON.createObjectNode();
        String status = firing(t) ? "firing" : "resolved";
        body.put("version", "4");
        body.put("groupKey", "{}:{alertname=\"" + t.slo() + "\", severity=\"" + t.severity().label() + "\"}");
        body.put("truncatedAlerts", 0);
        body.put("status", status);
        body.put("receiver", target.name());
        ObjectNode groupLabels = body.putObject("groupLabels");
        groupLabels.put("alertname", t.slo());
        groupLabels.put("severity", t.severity().label());
        labels(body.putObject("commonLabels"), t);
        annotations(body.putObject("commonAnnotations"), t);
        body.put("externalURL", externalUrl);
        ObjectNode alert = body.putArray("alerts").addObject();
        alert.put("status", status);
        labels(alert.putObject("labels"), t);
        annotations(alert.putObject("annotations"), t);
        alert.put("startsAt", incidentStart(t).toString());
        alert.put("endsAt", firing(t) ? NOT_ENDED : t.at().toString());
        alert.put("generatorURL", sloUrl(t));
        alert.put("fingerprint", fingerprint(t.alertId()));
        return body;
    }

    private static void labels(ObjectNode labels, AlertTransition t) {
        labels.put("alertname", t.slo());
        labels.put("slo", t.slo());
        labels.put("service", t.service());
        labels.put("team", t.team());
        labels.put("severity", t.severity().label());
    }

    private static void annotations(ObjectNode annotations, AlertTransition t) {
        annotations.put("summary", summary(t));
        annotations.put("rule", t.rule());
        annotations.put("budget_consumed", String.format(Locale.ROOT, "%.4f", t.budgetConsumed()));
        for (Map.Entry<String, Double> rate : t.burnRates().entrySet()) {
            annotations.put("burn_rate_" + rate.getKey(), String.format(Locale.ROOT, "%.3f", rate.getValue()));
        }
        t.latency().ifPresent(seen -> {
            annotations.put("latency_quantile", String.valueOf(seen.quantile()));
            annotations.put("latency_lookback", AlertRule.label(seen.lookback()));
            annotations.put("latency_threshold_ms", String.format(Locale.ROOT, "%.3f", seen.thresholdMillis()));
            annotations.put("latency_observed_ms", String.format(Locale.ROOT, "%.3f", seen.observedMillis()));
        });
        annotations.put("incident_id", t.incidentId());
    }

    private static String summary(AlertTransition t) {
        String slo = "SLO " + t.slo() + " of " + t.service();
        if (LatencyRule.isNamed(t.rule())) {
            // a resolve after the traffic stopped has no quantile to report
            return slo + (firing(t) ? " is too slow" : " is no longer too slow") + t.latency()
                    .map(seen -> ": " + seen.summary()).orElse(" (" + t.rule() + ")");
        }
        return firing(t)
                ? slo + " is burning its error budget too fast (" + t.rule() + ")"
                : slo + " burns its error budget at a sustainable pace again";
    }

    private String sloUrl(AlertTransition t) {
        return externalUrl + "/slos/" + t.slo();
    }

    private static boolean firing(AlertTransition t) {
        return t.state() == AlertTransition.State.FIRING;
    }

    /** The incident id ends with the epoch milliseconds its episode began; the transition time otherwise. */
    static Instant incidentStart(AlertTransition t) {
        String id = t.incidentId();
        String last = id.substring(id.lastIndexOf('/') + 1);
        return last.matches("[0-9]{1,15}") ? Instant.ofEpochMilli(Long.parseLong(last)) : t.at();
    }

    /** Stable per alert, as Alertmanager's fingerprint is per label set: 16 hex digits. */
    static String fingerprint(String alertId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(alertId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Slack's mrkdwn reserves &, < and >. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
