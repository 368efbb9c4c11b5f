package io.nines.core.slo;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Error-budget arithmetic, as the SRE workbook defines it, on counts of good and total events. Pure
 * functions: the API computes status and history with them and the stream computes alerts with them, so
 * both agree to the last bit.
 *
 * @param total events (Occurrences) or slices (Timeslices) the window may fail: (1 - target) x events or slices
 * @param consumed bad events or bad slices so far
 * @param remaining 1 - consumed / total: 1 untouched, 0 spent, negative overspent; 1 when there were no events
 */
public record ErrorBudget(double total, long consumed, double remaining) {

  /** The lookbacks burn rates are reported over, shortest first, by their labels. */
  public static final Map<String, Duration> BURN_RATE_LOOKBACKS = lookbacks();

  public ErrorBudget {
    if (!(total >= 0) || Double.isInfinite(total)) {
      throw new IllegalArgumentException("budget total must be a finite number >= 0, was " + total);
    }
    if (consumed < 0) {
      throw new IllegalArgumentException("consumed budget must be >= 0, was " + consumed);
    }
  }

  /** Occurrences: every bad event spends budget. */
  public static ErrorBudget occurrences(double target, long good, long total) {
    requireCounts(good, total);
    return of((1 - requireTarget(target)) * total, total - good);
  }

  /**
   * Timeslices: {@code badSlices} of the {@code slices} in the window fell short of the slice target; slices
   * without events, including those still to come, count as good.
   */
  public static ErrorBudget timeslices(double target, long slices, long badSlices) {
    if (slices < 0 || badSlices < 0 || badSlices > slices) {
      throw new IllegalArgumentException("bad slices must be within [0, slices], were " + badSlices + " of " + slices);
    }
    return of((1 - requireTarget(target)) * slices, badSlices);
  }

  private static ErrorBudget of(double total, long consumed) {
    // no events (or no slices) means nothing was consumed: the counts were validated
    double remaining = total == 0 ? 1 : 1 - consumed / total;
    return new ErrorBudget(total, consumed, remaining);
  }

  /** The service level indicator good / total; empty when there were no events. */
  public static OptionalDouble sli(long good, long total) {
    requireCounts(good, total);
    return total == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) good / total);
  }

  /**
   * How fast the budget burns: the bad fraction over a lookback divided by the fraction the objective allows.
   * 1 spends exactly the budget over the window; 0 when there were no events.
   */
  public static double burnRate(double target, long good, long total) {
    requireCounts(good, total);
    if (total == 0) {
      return 0;
    }
    return ((double) (total - good) / total) / (1 - requireTarget(target));
  }

  /** The share of a window's budget that burning at {@code burnRate} for {@code lasting} consumes. */
  public static double consumedBy(double burnRate, Duration lasting, Duration window) {
    return burnRate * lasting.toMillis() / window.toMillis();
  }

  /**
   * How long until the budget is spent if the last hour's burn rate continues: remaining x window / burn1h.
   * Empty when nothing burns; zero when the budget is already spent.
   */
  public static Optional<Duration> timeToExhaustion(double remaining, Duration window, double burnRate1h) {
    Objects.requireNonNull(window, "window");
    if (remaining <= 0) {
      return Optional.of(Duration.ZERO);
    }
    if (!(burnRate1h > 0)) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(Math.round(remaining * window.toMillis() / burnRate1h)));
  }

  /** A time slice is good when its good ratio reaches the slice target; an empty slice is good. */
  public static boolean isGoodSlice(long good, long total, double sliceTarget) {
    requireCounts(good, total);
    return total == 0 || (double) good / total >= sliceTarget;
  }

  /**
   * The start of the first slice inside a window starting at {@code from}. Slices are aligned to the epoch,
   * so the stream and every reader cut the same slices; a slice that began before the window is not in it.
   */
  public static Instant firstSliceStart(Instant from, Duration slice) {
    long length = requireSlice(slice);
    long millis = from.toEpochMilli();
    return Instant.ofEpochMilli(Math.floorDiv(millis + length - 1, length) * length);
  }

  /** How many slices a window of {@code window} holds, a last partial one included. */
  public static long slicesIn(Duration window, Duration slice) {
    long length = requireSlice(slice);
    return Math.floorDiv(window.toMillis() + length - 1, length);
  }

  private static long requireSlice(Duration slice) {
    if (slice == null || slice.toMillis() <= 0) {
      throw new IllegalArgumentException("slice must be positive, was " + slice);
    }
    return slice.toMillis();
  }

  private static double requireTarget(double target) {
    if (!(target > 0 && target < 1)) {
      throw new IllegalArgumentException("target must be within (0, 1), was " + target);
    }
    return target;
  }

  private static void requireCounts(long good, long total) {
    if (good < 0 || total < 0 || good > total) {
      throw new IllegalArgumentException("good must be within [0, total], was good=" + good + " total=" + total);
    }
  }

  private static Map<String, Duration> lookbacks() {
    Map<String, Duration> lookbacks = new LinkedHashMap<>();
    lookbacks.put("5m", Duration.ofMinutes(5));
    lookbacks.put("30m", Duration.ofMinutes(30));
    lookbacks.put("1h", Duration.ofHours(1));
    lookbacks.put("2h", Duration.ofHours(2));
    lookbacks.put("6h", Duration.ofHours(6));
    lookbacks.put("1d", Duration.ofDays(1));
    lookbacks.put("3d", Duration.ofDays(3));
    return java.util.Collections.unmodifiableMap(lookbacks);
  }
}
