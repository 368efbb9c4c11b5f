// The latency heatmap: spans per step (x) and latency band (y, the API's log-spaced bands, so equal rows read as a
// log scale), colour = spans. Where the percentile lines say "p99 went up", the heatmap shows whether the whole
// distribution moved or a second, slow mode appeared. The figures are also a table (for screen readers and the
// browser test, which read numbers rather than pixels).
import { latencyHeatmap } from '../../api/nines';
import type { LatencyHeatmap } from '../../api/types';
import { chart } from '../../components/charts';
import { h, replace } from '../../components/dom';
import { count } from '../../components/format';
import { empty, failure, loading, staleBanner } from '../../components/states';
import { heatmapModel, stepLabels } from './heatmap-model';

export interface HeatmapRequest {
  service: string;
  operation?: string;
  from: number;
  to: number;
  what: string;
}

/** The heatmap's panel for an answer already fetched, or an error it failed with (retried within the panel). */
export function heatmapPanel(request: HeatmapRequest, answer: LatencyHeatmap | Error, signal: AbortSignal): HTMLElement {
  const panel = h('section', { class: 'heatmap', 'data-testid': 'heatmap-panel', 'aria-label': 'Latency heatmap' });
  fill(panel, request, answer, signal);
  return panel;
}

function fill(panel: HTMLElement, request: HeatmapRequest, answer: LatencyHeatmap | Error, signal: AbortSignal): void {
  if (answer instanceof Error) {
    panel.dataset.state = 'error';
    replace(panel, h('h2', {}, 'Latency heatmap'), failure(answer, () => void retry(panel, request, signal)));
    return;
  }
  const model = heatmapModel(answer);
  if (model.total === 0) {
    panel.dataset.state = 'empty';
    replace(panel, h('h2', {}, 'Latency heatmap'), empty(`No spans for ${request.what}: nothing to draw.`));
    return;
  }
  panel.dataset.state = 'loaded';
  const xLabels = stepLabels(answer.steps, request.to - request.from);
  const hottest = model.hottest;
  const summary = `${count(model.total)} spans; most in ${hottest?.label} (${count(hottest?.count ?? 0)})`;
  const figure = chart(
    `Latency heatmap, ${request.what}`,
    {
      tooltip: {
        position: 'top',
        formatter: (p: { data: [number, number, number] }) =>
          `${xLabels[p.data[0]]}<br>${model.bands[p.data[1]]?.label}: <b>${count(p.data[2])}</b> spans`,
      },
      grid: { left: 110, right: 24, top: 8, bottom: 72 },
      xAxis: { type: 'category', data: xLabels, splitArea: { show: false } },
      yAxis: { type: 'category', data: model.bands.map((b) => b.label), axisLabel: { fontSize: 10 } },
      visualMap: {
        type: 'continuous',
        dimension: 3,
        min: 0,
        max: Math.max(Math.log10(model.maxCount), 0.001),
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 160,
        text: [`${count(model.maxCount)} spans`, '1'],
        formatter: (v: number) => count(Math.round(10 ** v)),
        inRange: { color: ['#dbeafe', '#60a5fa', '#2563eb', '#d97706', '#dc2626'] },
      },
      series: [{ name: 'spans', type: 'heatmap', data: model.data, progressive: 0 }],
    },
    summary,
    Math.max(260, 40 + 14 * model.bands.length + 72),
  );
  figure.setAttribute('data-testid', 'heatmap');
  figure.dataset.total = String(model.total);
  figure.dataset.bands = String(model.bands.length);
  if (hottest) {
    figure.dataset.hottestLowerMs = String(hottest.lowerMs);
    figure.dataset.hottestUpperMs = String(hottest.upperMs);
    figure.dataset.hottestCount = String(hottest.count);
  }
  const table = h('table', { 'data-testid': 'heatmap-bands' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Latency band'), h('th', { scope: 'col', class: 'num' }, 'Spans'))),
    h('tbody', {}, ...[...model.bands].reverse().map((b) => h('tr', { 'data-lower-ms': b.lowerMs, 'data-upper-ms': b.upperMs, ...(b === hottest ? { 'data-hottest': true } : {}) },
      h('td', {}, b.label), h('td', { class: 'num', 'data-field': 'count' }, count(b.count))))));
  replace(panel,
    answer.stale ? staleBanner() : null,
    figure,
    h('details', { class: 'panel' }, h('summary', {}, `Spans per latency band (${model.bands.length} bands, step ${answer.step / 60_000} min)`), table));
}

async function retry(panel: HTMLElement, request: HeatmapRequest, signal: AbortSignal): Promise<void> {
  panel.dataset.state = 'loading';
  replace(panel, h('h2', {}, 'Latency heatmap'), loading('latency heatmap'));
  const answer = await fetchHeatmap(request);
  if (!signal.aborted) fill(panel, request, answer, signal);
}

/** The heatmap's answer, or the error it failed with: its failure does not take the rest of the page down. */
export async function fetchHeatmap(request: HeatmapRequest): Promise<LatencyHeatmap | Error> {
  try {
    return await latencyHeatmap(request.service, request.from, request.to, request.operation);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}
