// The ideal budget line the burndown chart is read against.
import type { HistoryPoint } from '../../api/types';

/**
 * Budget remaining if the SLO had spent exactly its budget rate (burn rate 1) since the first point: for a
 * calendar period, the straight line from 100 % at the period's start to 0 at its end; for a rolling window,
 * from the first point's remaining budget down by the elapsed share of the window.
 */
export function idealBudget(points: readonly HistoryPoint[], windowMs: number | undefined, period?: { start: string; end: string }): Array<[number, number]> {
  if (points.length === 0) return [];
  if (period) {
    const start = Date.parse(period.start);
    const end = Date.parse(period.end);
    return points.map((p) => {
      const t = Date.parse(p.t);
      return [t, 1 - (t - start) / (end - start)];
    });
  }
  if (!windowMs) return [];
  const first = points[0] as HistoryPoint;
  const t0 = Date.parse(first.t);
  return points.map((p) => {
    const t = Date.parse(p.t);
    return [t, first.budgetRemaining - (t - t0) / windowMs];
  });
}

/** The default multiwindow policy's thresholds (SRE workbook; docs/slo-spec.md), by the long window. */
export const BURN_THRESHOLDS: Record<string, { threshold: number; severity: string; short: string }> = {
  '1h': { threshold: 14.4, severity: 'page', short: '5m' },
  '6h': { threshold: 6, severity: 'page', short: '30m' },
  '1d': { threshold: 3, severity: 'ticket', short: '2h' },
  '3d': { threshold: 1, severity: 'ticket', short: '6h' },
};
