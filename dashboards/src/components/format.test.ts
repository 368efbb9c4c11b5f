import { describe, expect, it } from 'vitest';
import { latencyObservation } from './format';

describe('latencyObservation', () => {
  it('words a latency rule the way pages do', () => {
    expect(latencyObservation({ quantile: 0.99, lookbackMillis: 300_000, thresholdMillis: 300, observedMillis: 742.4 })).toBe(
      'p99 was 742 ms over 5m (threshold 300 ms)',
    );
  });

  it('keeps the digits of quantiles beyond p99 and reads long latencies in seconds', () => {
    expect(latencyObservation({ quantile: 0.999, lookbackMillis: 90_000, thresholdMillis: 1000, observedMillis: 2340 })).toBe(
      'p99.9 was 2.34 s over 90s (threshold 1.00 s)',
    );
  });
});
