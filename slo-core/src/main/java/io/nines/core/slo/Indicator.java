package io.nines.core.slo;

import java.util.Objects;

/** What makes an event good. Every indicator counts entry spans picked by its {@link SpanSelector}. */
public sealed interface Indicator {

  SpanSelector selector();

  /** Good means the span succeeded: status not ERROR, no HTTP 5xx, no gRPC server error. */
  record Availability(SpanSelector selector) implements Indicator {
    public Availability {
      Objects.requireNonNull(selector, "selector");
    }
  }

  /**
   * Good means the span took at most (or, with {@code inclusive} false, under) {@code thresholdMillis},
   * compared exactly in the stream, and, when {@code requireSuccess}, also succeeded.
   */
  record Latency(SpanSelector selector, double thresholdMillis, boolean inclusive, boolean requireSuccess)
      implements Indicator {
    public Latency {
      Objects.requireNonNull(selector, "selector");
      if (!(thresholdMillis > 0) || Double.isInfinite(thresholdMillis)) {
        throw new IllegalArgumentException("latency threshold must be a positive number of ms, was " + thresholdMillis);
      }
    }

    /** Whether a span of {@code durationMillis} that succeeded or not is good. */
    public boolean isGood(double durationMillis, boolean success) {
      boolean fastEnough = inclusive ? durationMillis <= thresholdMillis : durationMillis < thresholdMillis;
      return fastEnough && (success || !requireSuccess);
    }
  }
}
