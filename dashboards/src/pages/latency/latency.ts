// Latency explorer: p50/p90/p99/p99.9 over time for a service (or one operation), the latency heatmap (spans per
// step and latency band), throughput and error rate. Percentiles are the API's, merged from sketches per step; the
// page never averages them.
import { latencySeries, services as fetchServices } from '../../api/nines';
import type { LatencyHeatmap, LatencySeries } from '../../api/types';
import type { PageContext } from '../../app';
import { chart, COLORS } from '../../components/charts';
import { h, replace } from '../../components/dom';
import { count, ms, pct } from '../../components/format';
import { empty, failure, loading, staleBanner } from '../../components/states';
import { rangeLabel, resolveRange } from '../../state/url';
import { fetchHeatmap, heatmapPanel, type HeatmapRequest } from './heatmap';

const QUANTILES: Array<[string, string]> = [
  ['0.5', 'p50'],
  ['0.9', 'p90'],
  ['0.99', 'p99'],
  ['0.999', 'p99.9'],
];

export async function renderLatency(ctx: PageContext): Promise<void> {
  const { root, signal, state } = ctx;
  const title = h('h1', {}, 'Latency');
  if (ctx.firstRender) root.replaceChildren(title, loading('services'));
  let names: string[];
  try {
    names = await fetchServices();
  } catch (e) {
    if (!signal.aborted) root.replaceChildren(title, failure(e, () => void renderLatency({ ...ctx, firstRender: true })));
    return;
  }
  if (signal.aborted) return;
  if (names.length === 0) {
    root.replaceChildren(title, empty('No service has reported spans yet.', 'Point an OpenTelemetry SDK at the collector (OTLP/HTTP :4318), or run ./nines up with the demo traffic.'));
    return;
  }
  const service = names.includes(state.service) ? state.service : (names[0] as string);
  const picker = h('select', { 'aria-label': 'Service', 'data-testid': 'latency-service', onchange: (e: Event) => ctx.update({ service: (e.target as HTMLSelectElement).value, operation: '' }) });
  for (const n of names) picker.append(h('option', { value: n, ...(n === service ? { selected: true } : {}) }, n));
  const operation = h('input', { type: 'text', 'aria-label': 'Operation (span name), empty for all', placeholder: 'all operations', value: state.operation, 'data-testid': 'latency-operation' });
  const opForm = h('form', { class: 'inline', onsubmit: (e: Event) => { e.preventDefault(); ctx.update({ service, operation: operation.value.trim() }); } }, operation, h('button', { type: 'submit' }, 'Show'));
  const filters = h('div', { class: 'filters' }, picker, opForm);

  const { from, to } = resolveRange(state.range, Date.now());
  const what = `${service}${state.operation ? ` · ${state.operation}` : ''}, ${rangeLabel(state.range)}`;
  const heatmapRequest: HeatmapRequest = { service, operation: state.operation || undefined, from, to, what };
  let series: LatencySeries;
  let heatmap: LatencyHeatmap | Error;
  try {
    if (ctx.firstRender) root.replaceChildren(title, filters, loading(`latency of ${service}`));
    // Both at once; the heatmap's failure only shows in its own panel.
    [series, heatmap] = await Promise.all([latencySeries(service, from, to, state.operation || undefined), fetchHeatmap(heatmapRequest)]);
  } catch (e) {
    if (!signal.aborted) root.replaceChildren(title, filters, failure(e, () => void renderLatency({ ...ctx, firstRender: true })));
    return;
  }
  if (signal.aborted) return;

  const points = series.points;
  const total = points.reduce((n, p) => n + p.count, 0);
  const errors = points.reduce((n, p) => n + p.errors, 0);
  const stepSeconds = series.step / 1000;
  const axis = { type: 'time', min: from, max: to };
  const grid = { left: 64, right: 16, top: 28, bottom: 28 };
  const last = [...points].reverse().find((p) => p.count > 0);

  const percentiles = chart(
    `Latency percentiles, ${what}`,
    {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => ms(v) },
      legend: { top: 0, right: 0 },
      grid,
      xAxis: axis,
      yAxis: { type: 'log', logBase: 10, axisLabel: { formatter: (v: number) => ms(v) } },
      series: QUANTILES.map(([q, label], i) => ({
        name: label,
        type: 'line',
        showSymbol: false,
        connectNulls: false,
        lineStyle: { color: COLORS[i] },
        itemStyle: { color: COLORS[i] },
        data: points.filter((p) => p.count > 0 && p.quantiles[q] !== undefined).map((p) => [Date.parse(p.t), Math.max(0.001, p.quantiles[q] as number)]),
      })),
    },
    last ? `latest step: ${QUANTILES.map(([q, l]) => `${l} ${ms(last.quantiles[q])}`).join(', ')}` : 'no spans in this range',
    300,
  );
  const throughput = chart(
    'Throughput (requests per second)',
    {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(2)}/s` },
      grid,
      xAxis: axis,
      yAxis: { type: 'value' },
      series: [{ name: 'requests/s', type: 'bar', data: points.map((p) => [Date.parse(p.t), p.count / stepSeconds]), itemStyle: { color: COLORS[0] } }],
    },
    `${count(total)} requests in the range`,
    200,
  );
  const errorRate = chart(
    'Error rate',
    {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(3)}%` },
      grid,
      xAxis: axis,
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
      series: [{ name: 'errors', type: 'line', showSymbol: false, data: points.filter((p) => p.count > 0).map((p) => [Date.parse(p.t), (100 * p.errors) / p.count]), lineStyle: { color: COLORS[2] }, itemStyle: { color: COLORS[2] } }],
    },
    `${pct(total ? errors / total : null, 3)} of requests failed`,
    200,
  );
  replace(root,
    title,
    filters,
    series.stale ? staleBanner() : null,
    h('p', { class: 'summary-line', 'data-testid': 'latency-summary' }, h('strong', { 'data-field': 'requests' }, count(total)), ' requests · ', h('strong', { 'data-field': 'errors' }, count(errors)), ' errors · step ', `${stepSeconds / 60} min`),
    total === 0 ? empty(`No spans for ${what}.`, 'Pick a longer range, another service, or clear the operation.') : null,
    percentiles,
    total === 0 ? null : heatmapPanel(heatmapRequest, heatmap, signal),
    h('div', { class: 'grid2' }, throughput, errorRate),
  );
}
