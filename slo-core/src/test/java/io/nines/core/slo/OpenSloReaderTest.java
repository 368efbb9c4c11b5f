package io.nines.core.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenSloReaderTest {

  private static final String AVAILABILITY = """
      apiVersion: openslo/v1
      kind: SLO
      metadata: {name: checkout-availability, labels: {team: payments}}
      spec:
        service: checkout
        indicator:
          metadata: {name: checkout-success}
          spec:
            ratioMetric:
              counter: true
              good:  {metricSource: {type: nines.spans, spec: {service: checkout, outcome: success}}}
              total: {metricSource: {type: nines.spans, spec: {service: checkout}}}
        timeWindow: [{duration: 30d, isRolling: true}]
        budgetingMethod: Occurrences
        objectives: [{displayName: availability, target: 0.999}]
      """;

  private static final String LATENCY = """
      apiVersion: openslo/v1
      kind: SLO
      metadata: {name: checkout-latency, labels: {team: payments}}
      spec:
        service: checkout
        indicator:
          metadata: {name: checkout-fast}
          spec:
            thresholdMetric:
              metricSource: {type: nines.spans, spec: {service: checkout, operation: "POST /checkout"}}
        timeWindow: [{duration: 1M, isRolling: false, calendar: {startTime: "2026-01-01 00:00:00", timeZone: Europe/Berlin}}]
        budgetingMethod: Occurrences
        objectives: [{op: lte, value: 287, target: 0.99}]   # milliseconds; good = duration <= 287 ms
      """;

  private final OpenSloReader reader = new OpenSloReader();

  @Test
  void readsTheAvailabilityExampleOfTheDesign() {
    SloDefinition slo = reader.read(AVAILABILITY).get(0);
    assertThat(slo.name()).isEqualTo("checkout-availability");
    assertThat(slo.team()).isEqualTo("payments");
    assertThat(slo.target()).isEqualTo(0.999);
    assertThat(slo.indicator()).isEqualTo(new Indicator.Availability(
        new SpanSelector("checkout", Optional.empty(), java.util.Map.of())));
    assertThat(slo.window()).isEqualTo(new TimeWindow.Rolling(Duration.ofDays(30), "30d"));
    assertThat(slo.budgeting()).isEqualTo(Budgeting.occurrences());
  }

  @Test
  void readsTheCalendarLatencyExampleWithItsExactThreshold() {
    SloDefinition slo = reader.read(LATENCY).get(0);
    Indicator.Latency latency = (Indicator.Latency) slo.indicator();
    assertThat(latency.thresholdMillis()).isEqualTo(287.0);
    assertThat(latency.isGood(287.0, false)).isTrue();
    assertThat(latency.isGood(287.0001, true)).isFalse();
    assertThat(latency.selector().operation()).contains("POST /checkout");
    assertThat(slo.window()).isEqualTo(new TimeWindow.Calendar(TimeWindow.CalendarUnit.MONTH, 1,
        LocalDateTime.of(2026, 1, 1, 0, 0), ZoneId.of("Europe/Berlin"), "1M"));
  }

  @Test
  void readsBothExamplesFromOneMultiDocumentText() {
    assertThat(reader.read(AVAILABILITY + "---\n" + LATENCY)).extracting(SloDefinition::name)
        .containsExactly("checkout-availability", "checkout-latency");
  }

  @Test
  void readsJsonAsWellAsYaml() {
    String json = """
        {"apiVersion":"openslo/v1","kind":"SLO","metadata":{"name":"api-up","labels":{"team":"core"}},
         "spec":{"service":"api","indicator":{"spec":{"ratioMetric":{"counter":true,
           "bad":{"metricSource":{"type":"nines.spans","spec":{"service":"api","outcome":"error"}}},
           "total":{"metricSource":{"type":"nines.spans","spec":{"service":"api"}}}}}},
         "timeWindow":[{"duration":"7d","isRolling":true}],"budgetingMethod":"Timeslices",
         "objectives":[{"target":0.99,"timeSliceTarget":0.95,"timeSliceWindow":"5m"}],
         "nines":{"groupBy":"http.route","maxGroups":50}}}
        """;
    SloDefinition slo = reader.read(json).get(0);
    assertThat(slo.budgeting().method()).isEqualTo(Budgeting.Method.TIMESLICES);
    assertThat(slo.budgeting().sliceLength()).contains(Duration.ofMinutes(5));
    assertThat(slo.groupBy()).contains(new SloDefinition.GroupBy("http.route", 50));
  }

  @Test
  void namesTheFieldOfAMissingTarget() {
    assertThat(violations(AVAILABILITY.replace(", target: 0.999", "")))
        .contains("spec.objectives[0].target: is required (or targetPercent)");
  }

  @Test
  void refusesATargetAboveOne() {
    assertThat(violations(AVAILABILITY.replace("0.999", "1.5")))
        .contains("spec.objectives[0].target: must be above 0 and below 1 (0 % and 100 % for targetPercent), was 1.5");
  }

  @Test
  void refusesAnUnknownKind() {
    assertThat(violations(AVAILABILITY.replace("kind: SLO", "kind: Banana")))
        .contains("kind: must be SLO or SLI, was 'Banana'");
  }

  @Test
  void refusesAWindowOfBananas() {
    assertThat(violations(AVAILABILITY.replace("duration: 30d", "duration: banana")))
        .contains("spec.timeWindow[0].duration: must be a number and a unit m, h, d, w, M, Q or Y (e.g. 30d, 1M), was 'banana'");
  }

  @Test
  void requiresAnOwningTeam() {
    assertThat(violations(AVAILABILITY.replace("labels: {team: payments}", "labels: {}")))
        .contains("metadata.labels.team: is required: every SLO belongs to a team");
  }

  @Test
  void reportsEveryViolationAtOnce() {
    String broken = AVAILABILITY.replace("0.999", "2").replace("30d", "30x").replace("Occurrences", "Often");
    assertThat(violations(broken)).hasSize(3);
  }

  @Test
  void refusesAYamlAliasBombNamingTheFirstAnchor() {
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char prev = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [*").append(prev).append(", *").append(prev)
          .append(", *").append(prev).append(", *").append(prev).append(", *").append(prev).append("]\n");
    }
    assertThat(violations(bomb.toString())).containsExactly(
        "(document): must not use YAML anchors or aliases (&name, *name); found anchor '&a' at line 1, column 4");
  }

  @Test
  void refusesABombOfTwentyAliasesUnderAKeyTheReaderIgnores() {
    // 2^10 copies of the list once expanded, within the 20 aliases a cap on aliases would let through
    StringBuilder bomb = new StringBuilder(AVAILABILITY).append("notes:\n  a: &a [").append("x, ".repeat(999))
        .append("x]\n");
    for (char c = 'b'; c <= 'k'; c++) {
      char prev = (char) (c - 1);
      bomb.append("  ").append(c).append(": &").append(c).append(" [*").append(prev).append(", *").append(prev)
          .append("]\n");
    }
    assertThat(bomb.toString()).containsOnlyOnce("*j, *j");
    assertThat(violations(bomb.toString())).containsExactly(
        "(document): must not use YAML anchors or aliases (&name, *name); found anchor '&a' at line 17, column 6");
  }

  @Test
  void refusesAValueThatRefersToItself() {
    assertThat(violations(AVAILABILITY + "loop: &loop [*loop]\n")).containsExactly(
        "(document): must not use YAML anchors or aliases (&name, *name); found anchor '&loop' at line 16, column 7");
  }

  @Test
  void refusesAnAliasOfAScalarToo() {
    assertThat(violations(AVAILABILITY.replace("service: checkout\n", "service: &s checkout\n")
        + "again: *s\n")).containsExactly(
        "(document): must not use YAML anchors or aliases (&name, *name); found anchor '&s' at line 5, column 12");
  }

  @Test
  void refusesAnOversizedDocument() {
    String huge = AVAILABILITY + "#" + "x".repeat(OpenSloReader.MAX_CHARS);
    assertThat(violations(huge)).containsExactly("(document): is larger than 1048576 characters");
  }

  @Test
  void refusesDeepNesting() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThat(violations(deep)).containsExactly("(document): is nested deeper than 100 levels");
  }

  @Test
  void namesTheFieldsOfABadNameTeamAndServiceAllAtOnce() {
    String text = AVAILABILITY.replace("name: checkout-availability", "name: Checkout_Availability")
        .replace("team: payments", "team: Payments Team").replace("  service: checkout\n", "  service: cart\n");
    assertThat(violations(text)).containsExactly(
        "metadata.name: must be lowercase letters, digits and '-', starting and ending with a letter or digit, at most"
            + " 63 characters, was 'Checkout_Availability'",
        "metadata.labels.team: must be lowercase letters, digits and '-', starting and ending with a letter or digit,"
            + " at most 63 characters, was 'Payments Team'",
        "spec.service: must be the service the indicator counts spans of, 'checkout' (its metricSource spec.service),"
            + " was 'cart'");
  }

  @Test
  void namesTheCalendarFieldsOfABadStartTimeAndTimeZone() {
    assertThat(violations(LATENCY.replace("\"2026-01-01 00:00:00\"", "\"January 1st\"")
        .replace("Europe/Berlin", "Mars/Olympus")))
        .containsExactly("spec.timeWindow[0].calendar.startTime: must be a local date and time like 2026-01-01 00:00:00,"
            + " was 'January 1st'",
            "spec.timeWindow[0].calendar.timeZone: must be an IANA time zone such as Europe/Berlin, was 'Mars/Olympus'");
  }

  @Test
  void namesTheDurationOfAWindowOutOfRange() {
    assertThat(violations(AVAILABILITY.replace("duration: 30d", "duration: 1m")))
        .containsExactly("spec.timeWindow[0].duration: a rolling window must be between 5m and 400d, was '1m'");
    assertThat(violations(LATENCY.replace("duration: 1M", "duration: 13M")))
        .containsExactly("spec.timeWindow[0].duration: a calendar window spans 1 to 12 periods, was '13M'");
  }

  @Test
  void namesTheTimesliceFieldsThatBreakTheirRules() {
    String slices = AVAILABILITY.replace("Occurrences", "Timeslices");
    assertThat(violations(slices)).containsExactly(
        "spec.objectives[0].timeSliceTarget: is required for budgetingMethod Timeslices",
        "spec.objectives[0].timeSliceWindow: is required for budgetingMethod Timeslices");
    assertThat(violations(slices.replace("target: 0.999", "target: 0.999, timeSliceTarget: 1.5, timeSliceWindow: 2h")))
        .containsExactly("spec.objectives[0].timeSliceTarget: must be above 0 and at most 1, was 1.5",
            "spec.objectives[0].timeSliceWindow: must be at least 1m and at most 1h, was '2h'");
    assertThat(violations(slices.replace("target: 0.999", "target: 0.999, timeSliceTarget: 0.9, timeSliceWindow: 30s")))
        .containsExactly("spec.objectives[0].timeSliceWindow: must be whole minutes or hours such as 1m or 5m, was '30s'");
  }

  @Test
  void refusesALatencyObjectiveThatCountsSlowSpansAsGood() {
    assertThat(violations(LATENCY.replace("op: lte", "op: gte")))
        .contains("spec.objectives[0].op: must be lte or lt (a good event is at most the threshold), was 'gte'");
  }

  @Test
  void refusesAGoodSelectorThatDiffersFromTotal() {
    assertThat(violations(AVAILABILITY.replace("{service: checkout, outcome: success}",
        "{service: payments, outcome: success}")))
        .anySatisfy(v -> assertThat(v).startsWith("spec.indicator.spec.ratioMetric.good.metricSource: must select the same spans"));
  }

  @Test
  void refusesForeignMetricSourcesNamingWhy() {
    assertThat(violations(AVAILABILITY.replace("type: nines.spans, spec: {service: checkout}}",
        "type: prometheus, spec: {service: checkout}}"))).containsExactly(
        "spec.indicator.spec.ratioMetric.total.metricSource.type: must be nines.spans (spans sent to Nines): Nines"
            + " computes SLIs from the events it receives and queries no other system, was 'prometheus'");
    assertThat(violations(LATENCY.replace("type: nines.spans", "type: nines.metrics"))).containsExactly(
        "spec.indicator.spec.thresholdMetric.metricSource.type: is not a source of SLIs yet: latency thresholds over"
            + " explicit-bucket histograms are exact only at bucket bounds; use nines.spans");
  }

  @Test
  void refusesADataSourceAndReferencesToIt() {
    String dataSource = "apiVersion: openslo/v1\nkind: DataSource\nmetadata: {name: prom}\n"
        + "spec: {type: Prometheus, connectionDetails: {url: 'http://prometheus:9090'}}\n---\n";
    assertThat(violations(dataSource + AVAILABILITY.replace("{metricSource: {type: nines.spans, spec: {service: checkout}}}",
        "{metricSource: {metricSourceRef: prom, type: Prometheus, spec: {query: 'sum(rate(http_requests_total[5m]))'}}}")))
        .containsExactly("documents[0].kind: DataSource is not read: Nines computes SLIs from the spans sent to it;"
                + " remove the DataSource and give each metricSource type nines.spans inline",
            "documents[1].spec.indicator.spec.ratioMetric.total.metricSource.metricSourceRef: is not supported: Nines"
                + " reads no DataSource; give type nines.spans and its spec inline");
  }

  @Test
  void refusesPrecomputedRatiosAndRawMetrics() {
    String raw = AVAILABILITY.replace("good:  {metricSource: {type: nines.spans, spec: {service: checkout, outcome: success}}}",
        "rawType: success\n        raw: {metricSource: {type: nines.spans, spec: {service: checkout}}}");
    assertThat(violations(raw)).containsExactly(
        "spec.indicator.spec.ratioMetric.raw: is not supported: Nines counts good and total events itself instead of"
            + " reading a precomputed ratio; give good or bad, and total, over nines.spans",
        "spec.indicator.spec.ratioMetric.rawType: is not supported: Nines counts good and total events itself"
            + " instead of reading a precomputed ratio; give good or bad, and total, over nines.spans");
    assertThat(violations(LATENCY.replace("thresholdMetric:", "rawMetric:"))).containsExactly(
        "spec.indicator.spec.rawMetric: is not supported: a raw metric is a precomputed value that cannot be counted"
            + " per event; use ratioMetric (good or bad, and total) or thresholdMetric over nines.spans");
  }

  @Test
  void refusesFieldsASpanSourceDoesNotHave() {
    assertThat(violations(LATENCY.replace("operation: \"POST /checkout\"", "query: 'histogram_quantile(0.99, x)'")))
        .containsExactly("spec.indicator.spec.thresholdMetric.metricSource.spec.query: is not a field of a nines.spans"
            + " source (service, operation, attributes, outcome)");
  }

  private java.util.List<String> violations(String text) {
    InvalidSloException e = catchThrowableOfType(InvalidSloException.class, () -> reader.read(text));
    assertThat(e).as("expected the document to be refused").isNotNull();
    return e.violations().stream().map(InvalidSloException.Violation::toString).toList();
  }
}
