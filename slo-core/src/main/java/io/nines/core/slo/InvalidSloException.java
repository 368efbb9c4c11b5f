package io.nines.core.slo;

import java.util.List;
import java.util.stream.Collectors;

/** An OpenSLO document Nines cannot accept, with every broken rule and the field path it applies to. */
public final class InvalidSloException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<Violation> violations;

  public InvalidSloException(List<Violation> violations) {
    super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
    this.violations = List.copyOf(violations);
  }

  public List<Violation> violations() {
    return violations;
  }

  /** One broken rule: {@code path} like {@code spec.objectives[0].target}. */
  public record Violation(String path, String rule) {
    @Override
    public String toString() {
      return path + ": " + rule;
    }
  }
}
