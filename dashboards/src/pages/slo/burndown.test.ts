import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../../api/types';
import { idealBudget } from './burndown';

const point = (t: string, budgetRemaining: number): HistoryPoint => ({ t, sli: 1, good: 1, total: 1, budgetRemaining, burnRate: 0 });

describe('ideal budget line', () => {
  it('runs from 100% to 0 over a calendar period', () => {
    const line = idealBudget([point('2026-11-01T00:00:00Z', 1), point('2026-11-16T00:00:00Z', 0.4)], undefined, {
      start: '2026-11-01T00:00:00Z',
      end: '2026-12-01T00:00:00Z',
    });
    expect(line[0]?.[1]).toBe(1);
    expect(line[1]?.[1]).toBeCloseTo(0.5, 6);
  });

  it('spends a rolling window at burn rate 1 from the first point', () => {
    const line = idealBudget([point('2026-11-01T00:00:00Z', 0.8), point('2026-11-04T00:00:00Z', 0.2)], 30 * 86_400_000);
    expect(line[1]?.[1]).toBeCloseTo(0.7, 6);
  });
});
