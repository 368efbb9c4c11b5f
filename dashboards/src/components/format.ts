// Number and time formats shared by the pages, so a figure reads the same everywhere.

export function pct(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : `${(value * 100).toFixed(digits)}%`;
}

export function burn(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value >= 100 ? 0 : 1)} ms`;
}

export function count(value: number): string {
  return new Intl.NumberFormat('en', { notation: value >= 1e6 ? 'compact' : 'standard' }).format(value);
}

export function time(iso: string | null | undefined): string {
  if (!iso) return '–';
  return new Date(iso).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** Window labels such as 30d, 4w, 1M or 12h in milliseconds; a month counts as 30 days for scales. */
export function windowMs(label: string): number | undefined {
  const match = /^(\d+)\s*([mhdwM])/.exec(label.trim());
  if (!match) return undefined;
  const n = Number(match[1]);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, M: 30 * 86_400_000 }[match[2] as 'm' | 'h' | 'd' | 'w' | 'M'];
  return n * unit;
}

/** What a latency rule saw, as pages word it: "p99 was 742 ms over 5m (threshold 300 ms)". */
export function latencyObservation(seen: { quantile: number; lookbackMillis: number; thresholdMillis: number; observedMillis: number }): string {
  const quantile = `p${String(Number((seen.quantile * 100).toFixed(3)))}`;
  return `${quantile} was ${ms(seen.observedMillis)} over ${lookback(seen.lookbackMillis)} (threshold ${ms(seen.thresholdMillis)})`;
}

function lookback(millis: number): string {
  const seconds = Math.round(millis / 1000);
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
