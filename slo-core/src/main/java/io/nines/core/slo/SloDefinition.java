package io.nines.core.slo;

import io.nines.core.alerting.AlertPolicy;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One service level objective as Nines computes it, read from an OpenSLO v1 {@code SLO} document.
 *
 * @param name unique, DNS-label-like, also the key of its stream state and stored rows
 * @param team the owning team ({@code metadata.labels.team})
 * @param target the good fraction to meet, e.g. 0.999
 * @param groupBy an attribute whose every value gets its own budget, e.g. {@code http.route}
 * @param notificationTargets names of AlertNotificationTargets its alert policies page
 * @param alertPolicy the rules it alerts by: the conditions of its inline alert policies, else the workbook's
 */
public record SloDefinition(
    String name,
    String displayName,
    String team,
    String service,
    String description,
    Indicator indicator,
    TimeWindow window,
    Budgeting budgeting,
    double target,
    Optional<GroupBy> groupBy,
    List<String> notificationTargets,
    AlertPolicy alertPolicy) {

  /** Names and teams: DNS-label-like, so they are safe in URLs, metric tags and ClickHouse keys. */
  static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  public SloDefinition {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name must be lowercase letters, digits and '-', at most 63 characters, was '" + name + "'");
    }
    if (team == null || !NAME.matcher(team).matches()) {
      throw new IllegalArgumentException("team must be like a name (lowercase, digits, '-'), was '" + team + "'");
    }
    Objects.requireNonNull(indicator, "indicator");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(budgeting, "budgeting");
    Objects.requireNonNull(groupBy, "groupBy");
    if (!(target > 0 && target < 1)) {
      throw new IllegalArgumentException("target must be within (0, 1), was " + target);
    }
    if (!indicator.selector().service().equals(service)) {
      throw new IllegalArgumentException("indicator counts spans of service '" + indicator.selector().service()
          + "' but the SLO is for service '" + service + "'");
    }
    displayName = displayName == null ? name : displayName;
    description = description == null ? "" : description;
    notificationTargets = List.copyOf(notificationTargets);
    Objects.requireNonNull(alertPolicy, "alertPolicy");
  }

  /** An SLO that alerts by the workbook's default policy. */
  public SloDefinition(String name, String displayName, String team, String service, String description,
      Indicator indicator, TimeWindow window, Budgeting budgeting, double target, Optional<GroupBy> groupBy,
      List<String> notificationTargets) {
    this(name, displayName, team, service, description, indicator, window, budgeting, target, groupBy,
        notificationTargets, AlertPolicy.WORKBOOK);
  }

  /** The fraction of events the window may fail: 1 - target. */
  public double errorBudget() {
    return 1 - target;
  }

  /** One budget per value of {@code attribute}, at most {@code maxGroups} of them. */
  public record GroupBy(String attribute, int maxGroups) {

    /** The group every value beyond the cap counts in, without a budget of its own; the stream writes it. */
    public static final String OVERFLOW = "__other__";

    public GroupBy {
      if (attribute == null || attribute.isBlank()) {
        throw new IllegalArgumentException("groupBy attribute must not be blank");
      }
      if (maxGroups < 1 || maxGroups > 10_000) {
        throw new IllegalArgumentException("groupBy maxGroups must be within [1, 10000], was " + maxGroups);
      }
    }
  }
}
