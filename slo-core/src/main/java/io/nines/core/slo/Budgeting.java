package io.nines.core.slo;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the budget is counted. Occurrences: every bad event spends budget. Timeslices: the window is cut
 * into slices of {@code sliceLength}; a slice is good when its good ratio reaches {@code sliceTarget}.
 */
public record Budgeting(Method method, Optional<Double> sliceTarget, Optional<Duration> sliceLength) {

  public enum Method { OCCURRENCES, TIMESLICES }

  public Budgeting {
    Objects.requireNonNull(method, "method");
    if (method == Method.TIMESLICES) {
      double target = sliceTarget.orElseThrow(
          () -> new IllegalArgumentException("Timeslices budgeting needs objectives[].timeSliceTarget"));
      if (!(target > 0 && target <= 1)) {
        throw new IllegalArgumentException("timeSliceTarget must be within (0, 1], was " + target);
      }
      Duration length = sliceLength.orElseThrow(
          () -> new IllegalArgumentException("Timeslices budgeting needs objectives[].timeSliceWindow"));
      if (length.toSeconds() % 60 != 0 || length.isZero() || length.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("timeSliceWindow must be whole minutes up to 1h, was " + length);
      }
    }
  }

  public static Budgeting occurrences() {
    return new Budgeting(Method.OCCURRENCES, Optional.empty(), Optional.empty());
  }
}
