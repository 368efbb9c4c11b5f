package io.nines.core.slo;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which entry spans (SERVER or CONSUMER) of a service an indicator counts: optionally one operation
 * (span name, or {@code http.route} when the span carries one) and attributes that must match exactly.
 */
public record SpanSelector(String service, Optional<String> operation, Map<String, String> attributes) {

  public SpanSelector {
    Objects.requireNonNull(operation, "operation");
    if (service == null || service.isBlank()) {
      throw new IllegalArgumentException("service must not be blank, was '" + service + "'");
    }
    operation.ifPresent(op -> {
      if (op.isBlank()) {
        throw new IllegalArgumentException("operation must not be blank when given");
      }
    });
    attributes = Map.copyOf(attributes);
  }

  /** True when every span this selector takes is also taken by {@code other}. */
  boolean narrows(SpanSelector other) {
    return service.equals(other.service)
        && (other.operation.isEmpty() || other.operation.equals(operation))
        && attributes.entrySet().containsAll(other.attributes.entrySet());
  }
}
