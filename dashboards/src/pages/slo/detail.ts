// SLO detail: where the SLI stands against its target over the chosen range, how the budget burned against
// the ideal line, the alert windows' burn rates, the worst groups, and the definition itself.
import { sloDocumentYaml, sloHistory, sloStatus } from '../../api/nines';
import type { SloHistory, SloStatus } from '../../api/types';
import type { PageContext } from '../../app';
import { carry } from '../../app';
import { chart, COLORS } from '../../components/charts';
import { h, replace } from '../../components/dom';
import { burn, count, pct, time, windowMs } from '../../components/format';
import { failure, loading, staleBanner } from '../../components/states';
import { rangeLabel, resolveRange } from '../../state/url';
import { budgetBar } from '../overview/shape';
import { BURN_THRESHOLDS, idealBudget } from './burndown';

export async function renderSloDetail(ctx: PageContext): Promise<void> {
  const { root, signal, state } = ctx;
  const name = ctx.params.name ?? '';
  const back = h('a', { href: `/${carry(state)}`, class: 'back' }, '← All SLOs');
  if (ctx.firstRender) root.replaceChildren(back, h('h1', {}, name), loading('the SLO'));
  const { from, to } = resolveRange(state.range, Date.now());
  let status: SloStatus;
  let history: SloHistory;
  try {
    [status, history] = await Promise.all([sloStatus(name), sloHistory(name, from, to)]);
  } catch (e) {
    if (!signal.aborted) root.replaceChildren(back, h('h1', {}, name), failure(e, () => void renderSloDetail({ ...ctx, firstRender: true })));
    return;
  }
  if (signal.aborted) return;
  // The definition is secondary: a failure there must not hide the figures.
  const yaml = await sloDocumentYaml(name).catch((e: unknown) => `# could not read the definition: ${e instanceof Error ? e.message : String(e)}`);
  if (signal.aborted) return;

  const bar = budgetBar(status.errorBudget.remaining, status.total);
  const points = history.points;
  const sliSeries = points.filter((p) => p.sli !== null).map((p) => [Date.parse(p.t), (p.sli as number) * 100]);
  const budgetSeries = points.map((p) => [Date.parse(p.t), p.budgetRemaining * 100]);
  const period = status.periodStart && status.periodEnd ? { start: status.periodStart, end: status.periodEnd } : undefined;
  const ideal = idealBudget(points, windowMs(status.window), period).map(([t, v]) => [t, v * 100]);
  const minSli = Math.min(status.target * 100, ...sliSeries.map((p) => p[1] as number));
  const tail = points.filter((p) => p.total > 0);

  const kpis = h(
    'dl',
    { class: 'kpis', 'data-testid': 'kpis' },
    kpi('SLI (window)', pct(status.sli), 'sli'),
    kpi('Target', pct(status.target, 2), 'target'),
    kpi('Budget remaining', bar.label, 'budget'),
    kpi('Burn rate 1h', burn(status.burnRates['1h']), 'burn1h'),
    kpi('Events (good / total)', `${count(status.good)} / ${count(status.total)}`, 'events'),
    kpi('Budget exhausted at', status.exhaustion ? time(status.exhaustion) : 'not at this pace', 'exhaustion'),
  );

  const burnTable = h(
    'table',
    { class: 'burns', 'data-testid': 'burn-rates' },
    h('caption', {}, 'Burn rates of the alert windows (1 = spending exactly the budget)'),
    h('thead', {}, h('tr', {}, ...['Long window', 'Burn', 'Short window', 'Burn', 'Pages/tickets at', 'State'].map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ...Object.entries(BURN_THRESHOLDS).map(([long, rule]) => {
        const l = status.burnRates[long];
        const s = status.burnRates[rule.short];
        const over = (l ?? 0) >= rule.threshold && (s ?? 0) >= rule.threshold;
        return h(
          'tr',
          { 'data-window': long },
          h('th', { scope: 'row' }, long),
          h('td', { class: 'num' }, burn(l)),
          h('td', {}, rule.short),
          h('td', { class: 'num' }, burn(s)),
          h('td', {}, `${rule.threshold} (${rule.severity})`),
          h('td', { class: over ? 'hot' : '' }, over ? `over: ${rule.severity}` : 'below'),
        );
      }),
    ),
  );

  const groups = status.groups?.length
    ? h(
        'section',
        { class: 'panel' },
        h('h2', {}, `Groups (${status.groups.length}, least budget first)`),
        h(
          'table',
          { class: 'groups', 'data-testid': 'groups' },
          h('thead', {}, h('tr', {}, ...['Group', 'SLI', 'Budget remaining', 'Burn 1h', 'Events'].map((c) => h('th', { scope: 'col' }, c)))),
          h(
            'tbody',
            {},
            ...status.groups.map((g) => {
              const gb = budgetBar(g.errorBudget.remaining, g.total);
              return h(
                'tr',
                {},
                h('th', { scope: 'row' }, g.group === '' ? '(none)' : g.group),
                h('td', { class: 'num' }, pct(g.sli)),
                h('td', { class: 'budget' }, h('div', { class: `bar ${gb.level}` }, h('div', { class: 'fill', style: `width:${gb.width}%` })), h('span', { class: 'bar-label' }, gb.label)),
                h('td', { class: 'num' }, burn(g.burnRates['1h'])),
                h('td', { class: 'num' }, count(g.total)),
              );
            }),
          ),
        ),
      )
    : null;

  const timeAxis = { type: 'time', min: from, max: to };
  const sliChart = chart(
    `SLI against target, ${rangeLabel(state.range)}`,
    {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(3)}%` },
      grid: { left: 56, right: 16, top: 24, bottom: 28 },
      xAxis: timeAxis,
      yAxis: { type: 'value', min: Math.max(0, Math.floor(minSli * 10 - 1) / 10), max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        { name: 'SLI per step', type: 'line', data: sliSeries, showSymbol: false, lineStyle: { color: COLORS[0] }, itemStyle: { color: COLORS[0] } },
        { name: 'Target', type: 'line', data: [[from, status.target * 100], [to, status.target * 100]], showSymbol: false, lineStyle: { type: 'dashed', color: COLORS[2] }, itemStyle: { color: COLORS[2] } },
      ],
      legend: { top: 0, right: 0 },
    },
    tail.length ? `last step ${pct(tail[tail.length - 1]?.sli)} vs target ${pct(status.target, 2)}` : 'no events in this range',
  );
  const budgetChart = chart(
    'Error budget remaining against the ideal burndown',
    {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(1)}%` },
      grid: { left: 56, right: 16, top: 24, bottom: 28 },
      xAxis: timeAxis,
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        { name: 'Budget remaining', type: 'line', data: budgetSeries, showSymbol: false, areaStyle: { opacity: 0.12 }, lineStyle: { color: COLORS[0] }, itemStyle: { color: COLORS[0] } },
        { name: 'Ideal (burn rate 1)', type: 'line', data: ideal, showSymbol: false, lineStyle: { type: 'dashed', color: COLORS[1] }, itemStyle: { color: COLORS[1] } },
      ],
      legend: { top: 0, right: 0 },
    },
    points.length ? `${pct(points[points.length - 1]?.budgetRemaining, 1)} at the end of the range` : 'no points',
  );

  replace(root,
    back,
    h('h1', {}, status.name),
    h('p', { class: 'subtitle' }, `${status.team} · ${status.service} · ${status.window} window${period ? ` (${time(period.start)} – ${time(period.end)})` : ''} · ${status.budgetingMethod} · as of ${time(status.asOf)}`),
    status.stale ? staleBanner() : null,
    status.provisional ? h('p', { class: 'hint' }, 'Provisional: the window holds minutes the stream has not closed yet; figures may still move.') : null,
    kpis,
    h('div', { class: 'grid2' }, sliChart, budgetChart),
    h('section', { class: 'panel' }, burnTable),
    groups,
    h('section', { class: 'panel' }, h('h2', {}, 'Definition (OpenSLO)'), h('pre', { class: 'yaml', tabindex: '0', 'data-testid': 'yaml' }, yaml)),
  );
}

function kpi(label: string, value: string, field: string): HTMLElement {
  return h('div', { class: 'kpi' }, h('dt', {}, label), h('dd', { 'data-field': field }, value));
}
