package io.nines.core.slo;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps an OpenSLO indicator and its metric sources onto what Nines counts: entry spans picked by a
 * {@link SpanSelector}. Every OpenSLO metric-source field is either read or refused at its own path with the
 * reason (docs/slo-spec.md, "Metric sources"): Nines counts events itself, so sources that hand over
 * precomputed ratios, queries for other systems, or bucketed histograms are refused rather than approximated.
 */
final class IndicatorReader {

  static final String SPANS_SOURCE = "nines.spans";
  static final String METRICS_SOURCE = "nines.metrics";
  private static final Set<String> SPANS_FIELDS = Set.of("service", "operation", "attributes", "outcome");
  private static final int MAX_VALUE = 256;
  private static final String INDICATORS = "ratioMetric (good or bad, and total) or thresholdMetric";

  private IndicatorReader() {
  }

  static Optional<Indicator> indicator(Field spec, Field objective, Map<String, Field> indicators) {
    Field indicatorSpec;
    Field ref = spec.get("indicatorRef");
    if (ref.isPresent()) {
      Optional<String> name = ref.string();
      indicatorSpec = name.map(indicators::get).orElse(null);
      if (indicatorSpec == null) {
        ref.violate("no SLI document named '" + name.orElse("") + "' in this request");
        return Optional.empty();
      }
    } else {
      indicatorSpec = spec.required("indicator").required("spec");
    }
    Field raw = indicatorSpec.get("rawMetric");
    if (raw.isPresent()) {
      raw.violate("is not supported: a raw metric is a precomputed value that cannot be counted per event; use "
          + INDICATORS + " over " + SPANS_SOURCE);
      return Optional.empty();
    }
    Field ratio = indicatorSpec.get("ratioMetric");
    Field threshold = indicatorSpec.get("thresholdMetric");
    if (ratio.isPresent() == threshold.isPresent()) {
      if (indicatorSpec.isPresent()) {
        indicatorSpec.violate("must hold exactly one of ratioMetric and thresholdMetric");
      }
      return Optional.empty();
    }
    return ratio.isPresent() ? ratioIndicator(ratio) : latencyIndicator(threshold, objective);
  }

  private static Optional<Indicator> ratioIndicator(Field ratio) {
    boolean precomputed = false;
    for (String key : List.of("raw", "rawType")) {
      if (ratio.get(key).isPresent()) {
        ratio.get(key).violate("is not supported: Nines counts good and total events itself instead of reading a"
            + " precomputed ratio; give good or bad, and total, over " + SPANS_SOURCE);
        precomputed = true;
      }
    }
    if (precomputed) {
      return Optional.empty();
    }
    Field total = ratio.required("total");
    Field good = ratio.get("good");
    Field bad = ratio.get("bad");
    if (good.isPresent() == bad.isPresent()) {
      ratio.violate("must hold exactly one of good and bad, beside total");
      return Optional.empty();
    }
    Field part = good.isPresent() ? good : bad;
    String expected = good.isPresent() ? "success" : "error";
    Optional<SpanSelector> totalSelector = selector(total.required("metricSource"));
    Optional<SpanSelector> partSelector = selector(part.required("metricSource"));
    Field outcome = part.get("metricSource").get("spec").get("outcome");
    Optional<String> partOutcome = outcome.string();
    boolean outcomes = true;
    if (part.get("metricSource").get("spec").isPresent()
        && (partOutcome.isEmpty() || !partOutcome.get().equals(expected))) {
      outcome.violate("must be '" + expected + "' for " + (good.isPresent() ? "good" : "bad") + " events");
      outcomes = false;
    }
    Field totalOutcome = total.get("metricSource").get("spec").get("outcome");
    if (totalOutcome.isPresent()) {
      totalOutcome.violate("total counts every outcome; remove it");
      outcomes = false;
    }
    if (totalSelector.isEmpty() || partSelector.isEmpty() || !outcomes) {
      return Optional.empty();
    }
    if (!partSelector.get().equals(totalSelector.get())) {
      part.get("metricSource").violate("must select the same spans as total (service, operation, attributes), "
          + "differing only in outcome");
      return Optional.empty();
    }
    return Optional.of(new Indicator.Availability(totalSelector.get()));
  }

  private static Optional<Indicator> latencyIndicator(Field threshold, Field objective) {
    Field source = threshold.required("metricSource");
    Optional<SpanSelector> selector = selector(source);
    Optional<String> outcome = source.get("spec").get("outcome").string();
    if (outcome.isPresent() && !outcome.get().equals("success")) {
      source.get("spec").get("outcome").violate("may only be 'success' (good means fast and successful)");
    }
    Optional<String> op = objective.required("op").string();
    Optional<Double> value = objective.required("value").number();
    if (op.isPresent() && !op.get().equals("lte") && !op.get().equals("lt")) {
      objective.get("op").violate("must be lte or lt (a good event is at most the threshold), was '" + op.get() + "'");
      return Optional.empty();
    }
    if (value.isPresent() && !(value.get() > 0 && value.get() <= 3_600_000)) {
      objective.get("value").violate("must be a latency in ms above 0 and at most 3600000, was " + value.get());
      return Optional.empty();
    }
    if (selector.isEmpty() || op.isEmpty() || value.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Indicator.Latency(selector.get(), value.get(), op.get().equals("lte"), outcome.isPresent()));
  }

  /**
   * Whether a span could ever carry {@code value}: the stream keeps attribute values up to {@link #MAX_VALUE}
   * characters, and no service, route or attribute holds control characters; such a selector would match nothing.
   */
  private static boolean matchable(Field field, String value) {
    if (value.length() > MAX_VALUE || value.chars().anyMatch(Character::isISOControl)) {
      field.violate("must be at most " + MAX_VALUE + " characters without control characters, was "
          + value.length() + " characters");
      return false;
    }
    return true;
  }

  /** A {@code metricSource}: only {@code nines.spans}, inline, with the fields Nines knows. */
  private static Optional<SpanSelector> selector(Field metricSource) {
    Field ref = metricSource.get("metricSourceRef");
    if (ref.isPresent()) {
      ref.violate("is not supported: Nines reads no DataSource; give type " + SPANS_SOURCE + " and its spec inline");
      return Optional.empty();
    }
    Optional<String> type = metricSource.required("type").string();
    if (type.isPresent() && type.get().equals(METRICS_SOURCE)) {
      metricSource.get("type").violate("is not a source of SLIs yet: latency thresholds over explicit-bucket"
          + " histograms are exact only at bucket bounds; use " + SPANS_SOURCE);
      return Optional.empty();
    }
    if (type.isPresent() && !type.get().equals(SPANS_SOURCE)) {
      metricSource.get("type").violate("must be " + SPANS_SOURCE + " (spans sent to Nines): Nines computes SLIs"
          + " from the events it receives and queries no other system, was '" + type.get() + "'");
      return Optional.empty();
    }
    Field spec = metricSource.required("spec");
    Optional<String> service = spec.required("service").string();
    Optional<String> operation = spec.get("operation").string();
    Map<String, String> attributes = spec.get("attributes").stringMap();
    boolean known = true;
    for (String key : spec.keys()) {
      if (!SPANS_FIELDS.contains(key)) {
        spec.get(key).violate("is not a field of a " + SPANS_SOURCE + " source (service, operation, attributes,"
            + " outcome)");
        known = false;
      }
    }
    if (service.isPresent() && service.get().isBlank()) {
      spec.get("service").violate("must not be blank");
      return Optional.empty();
    }
    if (operation.isPresent() && operation.get().isBlank()) {
      spec.get("operation").violate("must not be blank when given");
      return Optional.empty();
    }
    boolean matchable = service.map(value -> matchable(spec.get("service"), value)).orElse(true)
        & operation.map(value -> matchable(spec.get("operation"), value)).orElse(true);
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      Field field = spec.get("attributes").get(attribute.getKey());
      matchable &= matchable(field, attribute.getKey()) && matchable(field, attribute.getValue());
    }
    if (service.isEmpty() || !known || !matchable) {
      return Optional.empty();
    }
    return Optional.of(new SpanSelector(service.get(), operation, attributes));
  }
}
