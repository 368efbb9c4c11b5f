package io.nines.core.slo;

import io.nines.core.alerting.Severity;
import java.net.URI;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An OpenSLO {@code AlertNotificationTarget} as Nines delivers to it: where pages go ({@code spec.nines.url}),
 * with which credentials, and for which severities. {@code routingKey}, {@code url} and header values are secrets:
 * {@link #toString()} and {@link #redactedUrl()} never show them, so logging a target leaks nothing.
 *
 * @param severities the alert severities routed here; both by default
 * @param headers extra request headers (e.g. an Authorization for a generic webhook)
 */
public record NotificationTarget(String name, String team, Kind kind, String description, URI url,
    Optional<String> routingKey, Set<Severity> severities, Map<String, String> headers) {

  /** What speaks at the other end. */
  public enum Kind {
    PAGERDUTY, SLACK, WEBHOOK;

    /** {@code pagerduty}, {@code slack} or {@code webhook}, as in {@code spec.target}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<Kind> of(String label) {
      for (Kind kind : values()) {
        if (kind.label().equals(label)) {
          return Optional.of(kind);
        }
      }
      return Optional.empty();
    }
  }

  /** What every secret reads as in answers and logs. */
  public static final String REDACTED = "***";
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  public NotificationTarget {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name must be lowercase letters, digits and '-', at most 63 characters, was '" + name + "'");
    }
    if (team == null || !NAME.matcher(team).matches()) {
      throw new IllegalArgumentException("team must be like a name (lowercase, digits, '-'), was '" + team + "'");
    }
    Objects.requireNonNull(kind, "kind");
    description = description == null ? "" : description;
    Objects.requireNonNull(url, "url");
    if (!url.isAbsolute() || url.getHost() == null
        || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
      // The URL is a secret (Slack's carries its token), so the message names the rule, not the value.
      throw new IllegalArgumentException("url must be an absolute http or https URL with a host");
    }
    Objects.requireNonNull(routingKey, "routingKey");
    if (kind == Kind.PAGERDUTY && routingKey.filter(key -> !key.isBlank()).isEmpty()) {
      throw new IllegalArgumentException("routingKey is required for a pagerduty target");
    }
    if (severities == null || severities.isEmpty()) {
      throw new IllegalArgumentException("severities must name at least one of page, ticket");
    }
    severities = Collections.unmodifiableSet(EnumSet.copyOf(severities));
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** Scheme, host and port only, e.g. {@code https://events.pagerduty.com/…}: safe to show and log. */
  public String redactedUrl() {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/…";
  }

  /** Whether alerts of {@code severity} are routed here. */
  public boolean takes(Severity severity) {
    return severities.contains(severity);
  }

  @Override
  public String toString() {
    return "NotificationTarget[name=" + name + ", team=" + team + ", kind=" + kind.label() + ", url=" + redactedUrl()
        + ", routingKey=" + routingKey.map(key -> REDACTED).orElse("none") + ", severities=" + severities
        + ", headers=" + headers.keySet() + "]";
  }
}
