// What the latency heatmap draws and says, computed from the API's answer without the DOM, so it is unit-tested:
// rows are the API's log-spaced latency bands (equal height, so the y axis reads on a log scale), columns its steps.
import type { LatencyHeatmap } from '../../api/types';
import { ms } from '../../components/format';

export interface BandTotal {
  index: number;
  label: string;
  lowerMs: number;
  upperMs: number;
  count: number;
}

export interface HeatmapModel {
  /** Every span of the range: the sum of the cells. */
  total: number;
  /** Per band, lowest latency first, with its spans over the whole range. */
  bands: BandTotal[];
  /** The band with the most spans (the lower one on a tie); undefined without spans. */
  hottest?: BandTotal;
  /** [step, band, count, log10(count)]: colour follows the logarithm, so a thin tail still shows next to the bulk. */
  data: Array<[number, number, number, number]>;
  maxCount: number;
}

export function bandLabel(lowerMs: number, upperMs: number): string {
  return lowerMs === 0 ? `under ${upperMs * 1000} µs` : `${ms(lowerMs)} – ${ms(upperMs)}`;
}

export function heatmapModel(heatmap: LatencyHeatmap): HeatmapModel {
  const bands: BandTotal[] = heatmap.bands.map((b, index) => ({ index, label: bandLabel(b.lowerMs, b.upperMs), lowerMs: b.lowerMs, upperMs: b.upperMs, count: 0 }));
  let total = 0;
  let maxCount = 0;
  const data: Array<[number, number, number, number]> = [];
  for (const cell of heatmap.cells) {
    const band = bands[cell.band];
    if (band === undefined || cell.count <= 0) continue;
    band.count += cell.count;
    total += cell.count;
    maxCount = Math.max(maxCount, cell.count);
    data.push([cell.t, cell.band, cell.count, Math.log10(cell.count)]);
  }
  const hottest = bands.reduce<BandTotal | undefined>((best, b) => (b.count > 0 && (!best || b.count > best.count) ? b : best), undefined);
  return { total, bands, hottest, data, maxCount };
}

/** Step labels: times of day for ranges within two days, dates with times beyond. */
export function stepLabels(steps: string[], rangeMs: number): string[] {
  const withDate = rangeMs > 2 * 86_400_000;
  return steps.map((iso) => {
    const d = new Date(iso);
    const hm = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
    return withDate ? `${d.toLocaleDateString('en-GB', { day: '2-digit', month: 'short' })} ${hm}` : hm;
  });
}
