package io.nines.core.slo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A value inside a parsed document together with its path, so that every complaint names the field.
 * Missing or mistyped values are recorded as violations and read back as empty.
 */
final class Field {

  private final String path;
  private final Object value;
  private final List<InvalidSloException.Violation> violations;

  Field(String path, Object value, List<InvalidSloException.Violation> violations) {
    this.path = path;
    this.value = value;
    this.violations = violations;
  }

  String path() {
    return path;
  }

  boolean isPresent() {
    return value != null;
  }

  Field get(String key) {
    Object child = value instanceof Map<?, ?> map ? map.get(key) : null;
    return new Field(path.isEmpty() ? key : path + "." + key, child, violations);
  }

  Field required(String key) {
    Field child = get(key);
    if (!child.isPresent() && value instanceof Map) {
      child.violate("is required");
    } else if (value != null && !(value instanceof Map)) {
      violate("must be a mapping, was " + describe(value));
    }
    return child;
  }

  /** The keys of a mapping, in document order; none for anything else. */
  List<String> keys() {
    return value instanceof Map<?, ?> map ? map.keySet().stream().map(String::valueOf).toList() : List.of();
  }

  boolean isList() {
    return value instanceof List;
  }

  Optional<String> string() {
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String s) {
      return Optional.of(s);
    }
    if (value instanceof Number || value instanceof Boolean) {
      return Optional.of(value.toString());
    }
    violate("must be a string, was " + describe(value));
    return Optional.empty();
  }

  Optional<Double> number() {
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Number n) {
      return Optional.of(n.doubleValue());
    }
    if (value instanceof String s) {
      try {
        return Optional.of(Double.parseDouble(s.strip()));
      } catch (NumberFormatException e) {
        violate("must be a number, was '" + s + "'");
        return Optional.empty();
      }
    }
    violate("must be a number, was " + describe(value));
    return Optional.empty();
  }

  Optional<Boolean> bool() {
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Boolean b) {
      return Optional.of(b);
    }
    violate("must be true or false, was " + describe(value));
    return Optional.empty();
  }

  List<Field> list() {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> items)) {
      violate("must be a list, was " + describe(value));
      return List.of();
    }
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      fields.add(new Field(path + "[" + i + "]", items.get(i), violations));
    }
    return fields;
  }

  Map<String, String> stringMap() {
    Map<String, String> result = new LinkedHashMap<>();
    if (value == null) {
      return result;
    }
    if (!(value instanceof Map<?, ?> map)) {
      violate("must be a mapping, was " + describe(value));
      return result;
    }
    map.forEach((k, v) -> get(String.valueOf(k)).string().ifPresent(s -> result.put(String.valueOf(k), s)));
    return result;
  }

  void violate(String rule) {
    violations.add(new InvalidSloException.Violation(path.isEmpty() ? "(document)" : path, rule));
  }

  private static String describe(Object value) {
    if (value instanceof Map) {
      return "a mapping";
    }
    if (value instanceof List) {
      return "a list";
    }
    return value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " '" + value + "'";
  }
}
