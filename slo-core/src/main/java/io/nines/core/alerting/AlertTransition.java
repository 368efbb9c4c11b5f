package io.nines.core.alerting;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One change of an alert's state, as the stream emits it to the topic {@code nines.alerts} (key = {@link #alertId},
 * value = {@link #toJson()}) and to the ClickHouse table {@code alert_events}. The API reads it with
 * {@link #fromJson(byte[])}; both sides use this codec.
 *
 * <p>An alert is one (SLO, severity); {@code sequence} grows by one with every transition of the alert, across
 * incidents, so a transition replayed after a failure carries the number it had and consumers drop it on
 * (alertId, sequence). {@code incidentId} ({@code slo/severity/<epoch ms the episode began>}) is the same for the
 * pending, firing and resolved transitions of one episode.
 *
 * @param at event time of the transition: the end of the pane whose evaluation caused it
 * @param rule which rule caused it, e.g. {@code burnrate>=14.4 over 1h and 5m}
 * @param burnRates burn rate over each lookback of {@link io.nines.core.slo.ErrorBudget#BURN_RATE_LOOKBACKS}, by label
 * @param budgetConsumed share of the window's error budget spent, over the longest lookback the stream holds (3d)
 *     for rolling windows of that length or more; 0.5 = half of it
 * @param latency what the latency rule that caused it observed (the quantile over its lookback); empty for other
 *     rules, and in records written before latency rules existed
 */
public record AlertTransition(
    String slo,
    String team,
    String service,
    Severity severity,
    State state,
    long sequence,
    String incidentId,
    Instant at,
    String rule,
    Map<String, Double> burnRates,
    double budgetConsumed,
    List<String> notificationTargets,
    Optional<LatencyObservation> latency) {

  /** Kafka topic the stream writes transitions to. */
  public static final String TOPIC = "nines.alerts";

  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(64 * 1024).maxNestingDepth(8).build())
      .build();

  /** Where an alert is in its lifecycle; inactive alerts emit nothing. */
  public enum State {
    PENDING, FIRING, RESOLVED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static State of(String label) {
      for (State state : values()) {
        if (state.label().equals(label)) {
          return state;
        }
      }
      throw new IllegalArgumentException("state must be pending, firing or resolved, was '" + label + "'");
    }
  }

  public AlertTransition {
    requireText(slo, "slo");
    requireText(team, "team");
    requireText(service, "service");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(state, "state");
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be at least 1, was " + sequence);
    }
    requireText(incidentId, "incidentId");
    Objects.requireNonNull(at, "at");
    requireText(rule, "rule");
    Objects.requireNonNull(burnRates, "burnRates");
    burnRates.forEach((window, rate) -> {
      if (rate == null || !(rate >= 0) || rate.isInfinite()) {
        throw new IllegalArgumentException("burn rate over " + window + " must be a finite number >= 0, was " + rate);
      }
    });
    burnRates = Collections.unmodifiableMap(new LinkedHashMap<>(burnRates));
    if (!Double.isFinite(budgetConsumed)) {
      throw new IllegalArgumentException("budgetConsumed must be finite, was " + budgetConsumed);
    }
    notificationTargets = List.copyOf(notificationTargets);
    Objects.requireNonNull(latency, "latency");
  }

  /** A transition caused by a burn-rate or budget rule, which observes no latency. */
  public AlertTransition(String slo, String team, String service, Severity severity, State state, long sequence,
      String incidentId, Instant at, String rule, Map<String, Double> burnRates, double budgetConsumed,
      List<String> notificationTargets) {
    this(slo, team, service, severity, state, sequence, incidentId, at, rule, burnRates, budgetConsumed,
        notificationTargets, Optional.empty());
  }

  /** The alert this transition belongs to: {@code slo/severity}, also the Kafka record key. */
  public String alertId() {
    return alertId(slo, severity);
  }

  public static String alertId(String slo, Severity severity) {
    return slo + "/" + severity.label();
  }

  /** The incident id of an episode of alert {@code slo/severity} that began at {@code start}. */
  public static String incidentId(String slo, Severity severity, Instant start) {
    return alertId(slo, severity) + "/" + start.toEpochMilli();
  }

  /** The Kafka record key: {@link #alertId()} in UTF-8, so one alert's transitions stay ordered. */
  public byte[] key() {
    return alertId().getBytes(StandardCharsets.UTF_8);
  }

  /** The record value, UTF-8 JSON; {@code at} as RFC 3339 in UTC. */
  public byte[] toJson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("alertId", alertId());
      json.writeStringField("slo", slo);
      json.writeStringField("team", team);
      json.writeStringField("service", service);
      json.writeStringField("severity", severity.label());
      json.writeStringField("state", state.label());
      json.writeNumberField("sequence", sequence);
      json.writeStringField("incidentId", incidentId);
      json.writeStringField("at", at.toString());
      json.writeStringField("rule", rule);
      json.writeObjectFieldStart("burnRates");
      for (Map.Entry<String, Double> rate : burnRates.entrySet()) {
        json.writeNumberField(rate.getKey(), rate.getValue());
      }
      json.writeEndObject();
      json.writeNumberField("budgetConsumed", budgetConsumed);
      json.writeArrayFieldStart("notificationTargets");
      for (String target : notificationTargets) {
        json.writeString(target);
      }
      json.writeEndArray();
      if (latency.isPresent()) {
        LatencyObservation observed = latency.get();
        json.writeObjectFieldStart("latency");
        json.writeNumberField("quantile", observed.quantile());
        json.writeNumberField("lookbackMillis", observed.lookback().toMillis());
        json.writeNumberField("thresholdMillis", observed.thresholdMillis());
        json.writeNumberField("observedMillis", observed.observedMillis());
        json.writeNumberField("spans", observed.spans());
        json.writeEndObject();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /**
   * Reads a record value; unknown fields are skipped so that a newer writer may add some, {@code alertId}
   * must agree with slo and severity, and a value without {@code latency} (every record written before latency
   * rules) has none.
   *
   * @throws IllegalArgumentException when the value is not a transition, naming what is wrong
   */
  public static AlertTransition fromJson(byte[] value) {
    if (value == null) {
      throw new IllegalArgumentException("alert transition must not be null");
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    Map<String, Double> burnRates = new LinkedHashMap<>();
    List<String> targets = new ArrayList<>();
    Map<String, Object> latency = null;
    try (JsonParser json = JSON.createParser(value)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("alert transition must be a JSON object");
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken token = json.nextToken();
        switch (field) {
          case "alertId", "slo", "team", "service", "severity", "state", "incidentId", "at", "rule" ->
              fields.put(field, text(json, token, field));
          case "sequence" -> fields.put(field, integer(json, token, field));
          case "budgetConsumed" -> fields.put(field, number(json, token, field));
          case "burnRates" -> {
            expect(token, JsonToken.START_OBJECT, field, "an object");
            while (json.nextToken() == JsonToken.FIELD_NAME) {
              String window = json.currentName();
              burnRates.put(window, number(json, json.nextToken(), "burnRates." + window));
            }
          }
          case "notificationTargets" -> {
            expect(token, JsonToken.START_ARRAY, field, "an array");
            for (JsonToken item = json.nextToken(); item != JsonToken.END_ARRAY; item = json.nextToken()) {
              targets.add(text(json, item, "notificationTargets[]"));
            }
          }
          case "latency" -> {
            expect(token, JsonToken.START_OBJECT, field, "an object");
            latency = new LinkedHashMap<>();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
              String name = json.currentName();
              JsonToken item = json.nextToken();
              switch (name) {
                case "lookbackMillis", "spans" ->
                    latency.put("latency." + name, integer(json, item, "latency." + name));
                case "quantile", "thresholdMillis", "observedMillis" ->
                    latency.put("latency." + name, number(json, item, "latency." + name));
                default -> json.skipChildren();
              }
            }
          }
          default -> json.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("alert transition is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading from memory cannot fail", e);
    }
    Instant at;
    try {
      at = Instant.parse((String) required(fields, "at"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("alert transition field at must be RFC 3339 in UTC, was '"
          + fields.get("at") + "'");
    }
    AlertTransition transition = new AlertTransition((String) required(fields, "slo"),
        (String) required(fields, "team"), (String) required(fields, "service"),
        Severity.of((String) required(fields, "severity")), State.of((String) required(fields, "state")),
        (Long) required(fields, "sequence"), (String) required(fields, "incidentId"), at,
        (String) required(fields, "rule"), burnRates, (Double) required(fields, "budgetConsumed"), targets,
        latency == null ? Optional.empty() : Optional.of(latency(latency)));
    Object alertId = fields.get("alertId");
    if (alertId != null && !alertId.equals(transition.alertId())) {
      throw new IllegalArgumentException("alert transition field alertId must be slo/severity ('"
          + transition.alertId() + "'), was '" + alertId + "'");
    }
    return transition;
  }

  private static LatencyObservation latency(Map<String, Object> fields) {
    return new LatencyObservation((Double) required(fields, "latency.quantile"),
        Duration.ofMillis((Long) required(fields, "latency.lookbackMillis")),
        (Double) required(fields, "latency.thresholdMillis"), (Double) required(fields, "latency.observedMillis"),
        (Long) required(fields, "latency.spans"));
  }

  private static Object required(Map<String, Object> fields, String field) {
    Object value = fields.get(field);
    if (value == null) {
      throw new IllegalArgumentException("alert transition field " + field + " is required");
    }
    return value;
  }

  private static void expect(JsonToken token, JsonToken expected, String field, String what) {
    if (token != expected) {
      throw new IllegalArgumentException("alert transition field " + field + " must be " + what + ", was " + token);
    }
  }

  private static String text(JsonParser json, JsonToken token, String field) throws IOException {
    expect(token, JsonToken.VALUE_STRING, field, "a string");
    return json.getText();
  }

  private static long integer(JsonParser json, JsonToken token, String field) throws IOException {
    expect(token, JsonToken.VALUE_NUMBER_INT, field, "an integer");
    return json.getLongValue();
  }

  private static double number(JsonParser json, JsonToken token, String field) throws IOException {
    if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
      throw new IllegalArgumentException("alert transition field " + field + " must be a number, was " + token);
    }
    return json.getDoubleValue();
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank, was '" + value + "'");
    }
  }
}
