package io.nines.core.slo;

import io.nines.core.alerting.AlertPolicy;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads OpenSLO v1 documents (YAML, or JSON, which is YAML too) into {@link SloDefinition}s.
 *
 * <p>Span data is the metric source {@code type: nines.spans} ({@link IndicatorReader} maps every OpenSLO
 * metric-source field or refuses it); {@code spec.nines} holds what OpenSLO
 * leaves open (grouping). Inline {@code alertPolicies} give the SLO its notification targets and, with
 * {@code conditions}, its own alert rules ({@link AlertPolicyReader}). Everything a document gets wrong is reported at once, each with its field
 * path. YAML anchors and aliases, and nesting over 100 levels, are refused before any node is built
 * ({@link YamlPrecheck}), as is oversized input.
 */
public final class OpenSloReader {

  /**
   * Refuses a text that uses YAML anchors or aliases or nests too deeply, for callers that load it themselves before {@link #read}
   * (a JSON array of documents); text that is not YAML at all is left for {@link #read} to report.
   *
   * @throws InvalidSloException naming the first anchor or alias and where it is, or the depth limit
   */
  public void precheck(String text) {
    if (text.length() > MAX_CHARS) {
      return;
    }
    Optional<String> breach;
    try {
      breach = YamlPrecheck.firstBreach(text, settings);
    } catch (YamlEngineException e) {
      return;
    }
    if (breach.isPresent()) {
      throw single("(document)", breach.get());
    }
  }

  /** Largest document text accepted, in characters. */
  public static final int MAX_CHARS = 1 << 20;

  private static final Pattern DURATION = Pattern.compile("(\\d{1,4})([mhdwMQY])");
  private static final DateTimeFormatter CALENDAR_START = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final int DEFAULT_MAX_GROUPS = 100;

  private final LoadSettings settings = LoadSettings.builder()
      .setLabel("OpenSLO")
      .setMaxAliasesForCollections(20)
      .setAllowRecursiveKeys(false)
      .setAllowDuplicateKeys(false)
      .setCodePointLimit(MAX_CHARS)
      .build();

  /** The SLOs in {@code text}; SLI documents in the same text may be referenced by name. */
  public List<SloDefinition> read(String text) {
    if (text.length() > MAX_CHARS) {
      throw single("(document)", "is larger than " + MAX_CHARS + " characters");
    }
    List<Object> documents = new ArrayList<>();
    try {
      Optional<String> breach = YamlPrecheck.firstBreach(text, settings);
      if (breach.isPresent()) {
        throw single("(document)", breach.get());
      }
      new Load(settings).loadAllFromString(text).forEach(documents::add);
    } catch (YamlEngineException e) {
      throw single("(document)", "is not valid YAML or JSON: " + firstLine(e.getMessage()));
    } catch (StackOverflowError e) {
      throw single("(document)", "is nested too deeply");
    }
    List<InvalidSloException.Violation> violations = new ArrayList<>();
    Map<String, Field> indicators = new HashMap<>();
    List<Field> slos = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      if (documents.get(i) == null) {
        continue;
      }
      String prefix = documents.size() > 1 ? "documents[" + i + "]" : "";
      Field doc = new Field(prefix, documents.get(i), violations);
      if (!(documents.get(i) instanceof Map)) {
        doc.violate("must be a mapping with apiVersion, kind, metadata and spec");
        continue;
      }
      doc.required("apiVersion").string().filter(v -> !v.equals("openslo/v1"))
          .ifPresent(v -> doc.get("apiVersion").violate("must be openslo/v1, was '" + v + "'"));
      String kind = doc.required("kind").string().orElse("");
      switch (kind) {
        case "SLO" -> slos.add(doc);
        case "SLI" -> doc.required("metadata").required("name").string()
            .ifPresent(name -> indicators.put(name, doc.required("spec")));
        case "DataSource" -> doc.get("kind").violate("DataSource is not read: Nines computes SLIs from the spans"
            + " sent to it; remove the DataSource and give each metricSource type nines.spans inline");
        case "" -> { }
        default -> doc.get("kind").violate("must be SLO or SLI, was '" + kind + "'");
      }
    }
    if (slos.isEmpty() && violations.isEmpty()) {
      violations.add(new InvalidSloException.Violation("kind", "no SLO document found"));
    }
    List<SloDefinition> result = new ArrayList<>();
    for (Field slo : slos) {
      toDefinition(slo, indicators).ifPresent(result::add);
    }
    if (result.size() != slos.size() && violations.isEmpty()) {
      // every path that drops an SLO names its reason; this guards against one that does not
      violations.add(new InvalidSloException.Violation("(document)", "could not be read as an SLO"));
    }
    if (!violations.isEmpty()) {
      // a field asked for twice (e.g. a scalar where a mapping belongs) is reported once
      throw new InvalidSloException(List.copyOf(new java.util.LinkedHashSet<>(violations)));
    }
    return result;
  }

  private Optional<SloDefinition> toDefinition(Field doc, Map<String, Field> indicators) {
    Field metadata = doc.required("metadata");
    Field spec = doc.required("spec");
    Optional<String> name = nameLike(metadata.required("name"));
    Field teamField = metadata.get("labels").get("team");
    Optional<String> team = nameLike(teamField);
    if (!teamField.isPresent() && metadata.isPresent()) {
      teamField.violate("is required: every SLO belongs to a team");
    }
    Optional<String> service = spec.required("service").string();
    Field objective = objective(spec);
    Optional<Double> target = target(objective);
    Optional<Indicator> indicator = IndicatorReader.indicator(spec, objective, indicators);
    Optional<TimeWindow> window = window(spec);
    Optional<Budgeting> budgeting = budgeting(spec, objective);
    Optional<SloDefinition.GroupBy> groupBy = groupBy(spec.get("nines"));
    List<String> targets = AlertPolicyReader.notificationTargets(spec);
    Optional<AlertPolicy> alertPolicy = AlertPolicyReader.policy(spec);
    if (service.isPresent() && indicator.isPresent()
        && !indicator.get().selector().service().equals(service.get())) {
      spec.get("service").violate("must be the service the indicator counts spans of, '"
          + indicator.get().selector().service() + "' (its metricSource spec.service), was '" + service.get() + "'");
      return Optional.empty();
    }
    if (name.isEmpty() || team.isEmpty() || service.isEmpty() || target.isEmpty() || indicator.isEmpty()
        || window.isEmpty() || budgeting.isEmpty() || alertPolicy.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new SloDefinition(name.get(), metadata.get("displayName").string().orElse(null),
          team.get(), service.get(), spec.get("description").string().orElse(null), indicator.get(),
          window.get(), budgeting.get(), target.get(), groupBy, targets, alertPolicy.get()));
    } catch (IllegalArgumentException e) {
      doc.violate(e.getMessage());
      return Optional.empty();
    }
  }

  /** A name or team: what {@link SloDefinition} accepts, checked here so the answer names the field. */
  private static Optional<String> nameLike(Field field) {
    Optional<String> value = field.string();
    if (value.isPresent() && !SloDefinition.NAME.matcher(value.get()).matches()) {
      field.violate("must be lowercase letters, digits and '-', starting and ending with a letter or digit, at most"
          + " 63 characters, was '" + value.get() + "'");
      return Optional.empty();
    }
    return value;
  }

  private static Field objective(Field spec) {
    List<Field> objectives = spec.required("objectives").list();
    if (objectives.size() > 1) {
      spec.get("objectives").violate("Nines computes one objective per SLO; split the others into SLOs of their own");
    }
    return objectives.isEmpty() ? spec.get("objectives").get("0") : objectives.get(0);
  }

  private static Optional<Double> target(Field objective) {
    Optional<Double> target = objective.get("target").number();
    Optional<Double> percent = objective.get("targetPercent").number();
    if (target.isEmpty() && percent.isEmpty()) {
      // a value of the wrong type has been named already
      if (objective.isPresent() && !objective.get("target").isPresent() && !objective.get("targetPercent").isPresent()) {
        objective.get("target").violate("is required (or targetPercent)");
      }
      return Optional.empty();
    }
    double value = target.orElseGet(() -> percent.get() / 100);
    if (!(value > 0 && value < 1)) {
      (target.isPresent() ? objective.get("target") : objective.get("targetPercent"))
          .violate("must be above 0 and below 1 (0 % and 100 % for targetPercent), was "
              + target.orElse(percent.orElse(Double.NaN)));
      return Optional.empty();
    }
    return Optional.of(value);
  }

  private Optional<TimeWindow> window(Field spec) {
    List<Field> windows = spec.required("timeWindow").list();
    if (windows.size() != 1) {
      if (spec.get("timeWindow").isList()) {
        spec.get("timeWindow").violate("must hold exactly one window, held " + windows.size());
      }
      return Optional.empty();
    }
    Field window = windows.get(0);
    Optional<String> duration = window.required("duration").string();
    boolean rolling = window.get("isRolling").bool().orElse(false);
    if (duration.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = DURATION.matcher(duration.get());
    if (!m.matches()) {
      window.get("duration").violate("must be a number and a unit m, h, d, w, M, Q or Y (e.g. 30d, 1M), was '"
          + duration.get() + "'");
      return Optional.empty();
    }
    int amount = Integer.parseInt(m.group(1));
    String unit = m.group(2);
    if (rolling) {
      Duration length = switch (unit) {
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        case "d" -> Duration.ofDays(amount);
        case "w" -> Duration.ofDays(7L * amount);
        default -> null;
      };
      if (length == null) {
        window.get("duration").violate("a rolling window is measured in m, h, d or w; "
            + "use isRolling: false with a calendar for months, quarters and years");
        return Optional.empty();
      }
      if (length.compareTo(Duration.ofMinutes(5)) < 0 || length.compareTo(Duration.ofDays(400)) > 0) {
        window.get("duration").violate("a rolling window must be between 5m and 400d, was '" + duration.get() + "'");
        return Optional.empty();
      }
      return Optional.of(new TimeWindow.Rolling(length, duration.get()));
    }
    TimeWindow.CalendarUnit calendarUnit = switch (unit) {
      case "d" -> TimeWindow.CalendarUnit.DAY;
      case "w" -> TimeWindow.CalendarUnit.WEEK;
      case "M" -> TimeWindow.CalendarUnit.MONTH;
      case "Q" -> TimeWindow.CalendarUnit.QUARTER;
      case "Y" -> TimeWindow.CalendarUnit.YEAR;
      default -> null;
    };
    if (calendarUnit == null) {
      window.get("duration").violate("a calendar window is measured in d, w, M, Q or Y, was '" + duration.get() + "'");
      return Optional.empty();
    }
    if (amount < 1 || amount > 12) {
      window.get("duration").violate("a calendar window spans 1 to 12 periods, was '" + duration.get() + "'");
      return Optional.empty();
    }
    Field calendar = window.required("calendar");
    Optional<LocalDateTime> start = calendar.required("startTime").string()
        .flatMap(text -> parseStart(calendar.get("startTime"), text));
    Optional<ZoneId> zone = calendar.required("timeZone").string()
        .flatMap(text -> parseZone(calendar.get("timeZone"), text));
    if (start.isEmpty() || zone.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new TimeWindow.Calendar(calendarUnit, amount, start.get(), zone.get(), duration.get()));
  }

  private static Optional<LocalDateTime> parseStart(Field field, String text) {
    try {
      return Optional.of(LocalDateTime.parse(text, CALENDAR_START));
    } catch (DateTimeParseException e) {
      field.violate("must be a local date and time like 2026-01-01 00:00:00, was '" + text + "'");
      return Optional.empty();
    }
  }

  private static Optional<ZoneId> parseZone(Field field, String text) {
    try {
      return Optional.of(ZoneId.of(text));
    } catch (DateTimeException e) {
      field.violate("must be an IANA time zone such as Europe/Berlin, was '" + text + "'");
      return Optional.empty();
    }
  }

  private static Optional<Budgeting> budgeting(Field spec, Field objective) {
    Optional<String> method = spec.required("budgetingMethod").string();
    if (method.isEmpty()) {
      return Optional.empty();
    }
    return switch (method.get()) {
      case "Occurrences" -> Optional.of(Budgeting.occurrences());
      case "Timeslices" -> timeslices(objective);
      default -> {
        spec.get("budgetingMethod").violate("must be Occurrences or Timeslices, was '" + method.get() + "'");
        yield Optional.empty();
      }
    };
  }

  /** The rules of {@link Budgeting}, checked field by field. */
  private static Optional<Budgeting> timeslices(Field objective) {
    Field targetField = objective.get("timeSliceTarget");
    Field windowField = objective.get("timeSliceWindow");
    Optional<Double> target = targetField.number();
    Optional<String> window = windowField.string();
    boolean valid = true;
    if (objective.isPresent() && !targetField.isPresent()) {
      targetField.violate("is required for budgetingMethod Timeslices");
      valid = false;
    } else if (target.isPresent() && !(target.get() > 0 && target.get() <= 1)) {
      targetField.violate("must be above 0 and at most 1, was " + target.get());
      valid = false;
    }
    Optional<Duration> length = Optional.empty();
    if (objective.isPresent() && !windowField.isPresent()) {
      windowField.violate("is required for budgetingMethod Timeslices");
    } else if (window.isPresent()) {
      length = sliceLength(windowField, window.get());
    }
    if (!valid || target.isEmpty() || length.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Budgeting(Budgeting.Method.TIMESLICES, target, length));
  }

  private static Optional<Duration> sliceLength(Field field, String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches() || !(m.group(2).equals("m") || m.group(2).equals("h"))) {
      field.violate("must be whole minutes or hours such as 1m or 5m, was '" + text + "'");
      return Optional.empty();
    }
    long amount = Long.parseLong(m.group(1));
    Duration length = m.group(2).equals("m") ? Duration.ofMinutes(amount) : Duration.ofHours(amount);
    if (length.isZero() || length.compareTo(Duration.ofHours(1)) > 0) {
      field.violate("must be at least 1m and at most 1h, was '" + text + "'");
      return Optional.empty();
    }
    return Optional.of(length);
  }

  private static Optional<SloDefinition.GroupBy> groupBy(Field nines) {
    Optional<String> attribute = nines.get("groupBy").string();
    if (attribute.isEmpty()) {
      return Optional.empty();
    }
    double max = nines.get("maxGroups").number().orElse((double) DEFAULT_MAX_GROUPS);
    if (max != Math.rint(max) || max < 1 || max > 10_000) {
      nines.get("maxGroups").violate("must be a whole number within [1, 10000], was "
          + (max == Math.rint(max) && Math.abs(max) < 1e15 ? String.valueOf((long) max) : String.valueOf(max)));
      return Optional.empty();
    }
    return Optional.of(new SloDefinition.GroupBy(attribute.get(), (int) max));
  }

  private static InvalidSloException single(String path, String rule) {
    return new InvalidSloException(List.of(new InvalidSloException.Violation(path, rule)));
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("").strip();
  }
}
