import { describe, expect, it } from 'vitest';
import type { LatencyHeatmap } from '../../api/types';
import { bandLabel, heatmapModel } from './heatmap-model';

const answer: LatencyHeatmap = {
  service: 'checkout',
  from: '2026-03-01T11:00:00Z',
  to: '2026-03-01T11:03:00Z',
  step: 60_000,
  count: 154,
  steps: ['2026-03-01T11:00:00Z', '2026-03-01T11:01:00Z', '2026-03-01T11:02:00Z'],
  bands: [
    { lowerMs: 0, upperMs: 0.001 },
    { lowerMs: 40, upperMs: 45 },
    { lowerMs: 45, upperMs: 50 },
    { lowerMs: 50, upperMs: 56 },
  ],
  cells: [
    { t: 0, band: 1, count: 100 },
    { t: 0, band: 3, count: 4 },
    { t: 2, band: 0, count: 7 },
    { t: 2, band: 1, count: 40 },
    { t: 2, band: 2, count: 3 },
  ],
};

describe('heatmapModel', () => {
  it('adds every cell into its band and the total', () => {
    const model = heatmapModel(answer);
    expect(model.total).toBe(154);
    expect(model.bands.map((b) => b.count)).toEqual([7, 140, 3, 4]);
    expect(model.maxCount).toBe(100);
  });

  it('names the band with the most spans over the range as the hottest', () => {
    expect(heatmapModel(answer).hottest).toMatchObject({ index: 1, lowerMs: 40, upperMs: 45, count: 140 });
  });

  it('colours by the logarithm of the count and keeps the count for the tooltip', () => {
    expect(heatmapModel(answer).data[0]).toEqual([0, 1, 100, 2]);
    expect(heatmapModel(answer).data[2]).toEqual([2, 0, 7, Math.log10(7)]);
  });

  it('has no hottest band without spans', () => {
    const model = heatmapModel({ ...answer, count: 0, bands: [], cells: [] });
    expect(model.hottest).toBeUndefined();
    expect(model.total).toBe(0);
  });

  it('labels the zero band by its microsecond bound and the others by their latencies', () => {
    expect(bandLabel(0, 0.001)).toBe('under 1 µs');
    expect(bandLabel(49.5, 1200)).toBe('49.5 ms – 1.20 s');
  });
});
