// SLO overview: every SLO with its budget and burn, riskiest first. The list comes in one request and is shown
// at once; statuses follow from the batch route (/api/v1/slo-statuses, a chain of pages per team, the chosen team's first),
// riskiest rows re-sorting to the top as they arrive. An API without the batch route gets one request per SLO,
// at most six in flight (the API rate-limits per token). Rows scrolled into view get a 30-day sparkline.
import { mapLimited } from '../../api/client';
import { alerts as fetchAlerts, sloHistory, sloStatus, sloStatusPage } from '../../api/nines';
import type { SloStatus } from '../../api/types';
import type { PageContext } from '../../app';
import { carry } from '../../app';
import { h } from '../../components/dom';
import { burn, pct } from '../../components/format';
import { sparkline } from '../../components/sparkline';
import { empty, failure, loading, staleBanner } from '../../components/states';
import { formatState } from '../../state/url';
import { sloList } from '../teams';
import { budgetBar, burn1h, distinct, filterRows, firingBySlo, sortByRisk, type Row } from './shape';

const CONCURRENCY = 6;
const BATCH = 100;
const TREND_CONCURRENCY = 3;
const TEAM_CHAINS = 3;

export async function renderOverview(ctx: PageContext): Promise<void> {
  const { root, signal } = ctx;
  const started = performance.now();
  // Tests and tools wait on this marker; it must not keep saying "complete" from the previous view.
  document.body.dataset.overview = 'loading';
  if (ctx.firstRender) root.replaceChildren(h('h1', {}, 'SLO overview'), loading('SLOs'));
  let rows: Row[];
  let alertsKnown = true;
  try {
    const [slos, firing] = await Promise.all([
      sloList(ctx.firstRender ? 15_000 : 0),
      // Alerts are optional: an API without them, or failing at them, still gets the budget table.
      fetchAlerts('firing').catch(() => null),
    ]);
    alertsKnown = firing !== null;
    const bySlo = firingBySlo(firing);
    rows = slos.map((slo) => ({ slo, firing: bySlo.get(slo.name) ?? [] }));
  } catch (e) {
    if (!signal.aborted) root.replaceChildren(h('h1', {}, 'SLO overview'), failure(e, () => void renderOverview({ ...ctx, firstRender: true })));
    return;
  }
  if (signal.aborted) return;
  if (rows.length === 0) {
    root.replaceChildren(
      h('h1', {}, 'SLO overview'),
      empty('No SLOs yet.', 'Create one with POST /api/v1/slos (OpenSLO YAML), or start ./nines up with the demo, which ships SLOs.'),
    );
    return;
  }

  // Filters local to this page are read from and written to the URL without a full re-render, so typing in
  // the search box keeps its focus.
  let service = ctx.state.service;
  let search = ctx.state.search;
  const teamRows = () => filterRows(rows, { team: ctx.state.team, service: '', search: '' });
  const writeUrl = () =>
    history.replaceState(null, '', location.pathname + formatState({ ...ctx.state, service, search }));

  const summary = h('p', { class: 'summary-line', 'data-testid': 'summary', 'aria-live': 'polite' });
  const progress = h('span', { class: 'progress', 'data-testid': 'progress' });
  const serviceSelect = h('select', { 'aria-label': 'Service', 'data-testid': 'service-filter' });
  const searchInput = h('input', { type: 'search', placeholder: 'Search SLOs by name', 'aria-label': 'Search SLOs by name', 'data-testid': 'search', value: search });
  const tbody = h('tbody');
  const staleSlot = h('div');
  const table = h(
    'table',
    { class: 'slos', 'data-testid': 'slo-table' },
    h('caption', { class: 'visually-hidden' }, 'SLOs, least error budget remaining first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['SLO', 'Team', 'Service', 'Target', 'SLI', 'Budget remaining', 'Budget, 30 days', 'Burn 1h', 'Alerts'].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    tbody,
  );

  const fillServices = () => {
    const options = distinct(teamRows(), (r) => r.slo.service);
    serviceSelect.replaceChildren(h('option', { value: '' }, 'All services'), ...options.map((s) => h('option', { value: s, ...(s === service ? { selected: true } : {}) }, s)));
  };
  fillServices();
  serviceSelect.addEventListener('change', () => {
    service = serviceSelect.value;
    writeUrl();
    draw();
  });
  searchInput.addEventListener('input', () => {
    search = searchInput.value;
    writeUrl();
    draw();
  });

  let pendingFrame = 0;
  const scheduleDraw = () => {
    if (!pendingFrame) pendingFrame = requestAnimationFrame(() => { pendingFrame = 0; draw(); });
  };

  function draw(): void {
    const visible = sortByRisk(filterRows(rows, { team: ctx.state.team, service, search }));
    const known = rows.filter((r) => r.status).length;
    const inTeam = teamRows();
    const exhausted = inTeam.filter((r) => (r.status?.errorBudget.remaining ?? 1) <= 0).length;
    const fast = inTeam.filter((r) => (burn1h(r.status) ?? 0) > 1).length;
    const firing = inTeam.reduce((n, r) => n + r.firing.length, 0);
    summary.replaceChildren(
      h('strong', { 'data-testid': 'count' }, String(visible.length)),
      ` of ${inTeam.length} SLOs shown · `,
      h('strong', { 'data-testid': 'exhausted' }, String(exhausted)),
      ' out of budget · ',
      h('strong', {}, String(fast)),
      ' burning faster than budgeted (1h) · ',
      alertsKnown ? h('span', {}, h('strong', { 'data-testid': 'firing' }, String(firing)), ' firing alerts') : 'alerts unavailable',
    );
    progress.textContent = known < rows.length ? `statuses ${known}/${rows.length}…` : '';
    staleSlot.replaceChildren(...(rows.some((r) => r.status?.stale) ? [staleBanner()] : []));
    if (visible.length === 0) {
      tbody.replaceChildren(h('tr', {}, h('td', { colspan: '9', class: 'state empty' }, 'No SLO matches these filters. Clear the search or pick another team or service.')));
      return;
    }
    observer.disconnect(); // the rows are replaced: observe only the new ones
    tbody.replaceChildren(...visible.map(rowView));
  }

  function rowView(row: Row): HTMLTableRowElement {
    const s = row.status;
    const bar = budgetBar(s?.errorBudget.remaining, s?.total);
    const href = `/slos/${encodeURIComponent(row.slo.name)}${carry(ctx.state)}`;
    return h(
      'tr',
      { 'data-slo': row.slo.name },
      h('th', { scope: 'row' }, h('a', { href }, row.slo.displayName && row.slo.displayName !== row.slo.name ? `${row.slo.name}` : row.slo.name)),
      h('td', {}, row.slo.team),
      h('td', {}, row.slo.service),
      h('td', { class: 'num' }, pct(row.slo.target, 2)),
      h('td', { class: 'num', 'data-field': 'sli' }, row.error ? h('span', { class: 'row-error', title: row.error }, 'unavailable') : pct(s?.sli, 3)),
      h(
        'td',
        { class: 'budget', 'data-field': 'budget', 'data-value': s ? String(s.errorBudget.remaining) : '' },
        h(
          'div',
          { class: `bar ${bar.level}`, role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(bar.width), 'aria-label': `budget remaining ${bar.label}` },
          h('div', { class: 'fill', style: `width:${bar.width}%` }),
        ),
        h('span', { class: 'bar-label' }, bar.label),
        s?.provisional ? h('span', { class: 'tag', title: 'the window holds minutes the stream has not closed yet' }, 'provisional') : null,
      ),
      trendCell(row.slo.name),
      h('td', { class: `num ${(burn1h(s) ?? 0) >= 14.4 ? 'hot' : (burn1h(s) ?? 0) > 1 ? 'warm' : ''}`, 'data-field': 'burn1h' }, burn(burn1h(s))),
      h(
        'td',
        { 'data-field': 'alerts' },
        ...row.firing.map((a) => h('span', { class: `tag ${a.severity}` }, a.severity)),
      ),
    );
  }

  // 30-day sparklines (budget remaining per day, /history?step=1d) for the rows on screen only: each is a
  // ClickHouse query, so they are fetched when a row scrolls into view, at most three at a time, and kept.
  const trends = new Map<string, HTMLCanvasElement | 'loading' | 'failed'>();
  const trendQueue: string[] = [];
  let trendsInFlight = 0;
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const name = (entry.target as HTMLElement).dataset.trend;
      if (!entry.isIntersecting || !name || trends.has(name)) continue;
      trends.set(name, 'loading');
      trendQueue.push(name);
    }
    pumpTrends();
  });
  signal.addEventListener('abort', () => observer.disconnect());
  function pumpTrends(): void {
    while (trendsInFlight < TREND_CONCURRENCY && trendQueue.length && !signal.aborted) {
      const name = trendQueue.shift()!;
      trendsInFlight++;
      sloHistory(name, undefined, undefined, '1d')
        .then((history) => {
          const points = history.points.map((p) => ({ t: Date.parse(p.t), value: p.budgetRemaining }));
          const last = points[points.length - 1]?.value;
          const label = last === undefined ? 'no history' : `budget remaining over ${points.length} days, now ${pct(last, 1)}`;
          const canvas = sparkline(points, label);
          canvas.dataset.last = last === undefined ? '' : String(last);
          trends.set(name, canvas);
        })
        .catch(() => trends.set(name, 'failed'))
        .finally(() => {
          trendsInFlight--;
          if (signal.aborted) return;
          document.querySelectorAll<HTMLElement>(`td[data-trend="${CSS.escape(name)}"]`).forEach((cell) => fillTrend(cell, name));
          pumpTrends();
        });
    }
  }
  function fillTrend(cell: HTMLElement, name: string): void {
    const trend = trends.get(name);
    if (trend instanceof HTMLCanvasElement) {
      cell.replaceChildren(trend); // moves it from the row a redraw replaced
    } else {
      cell.replaceChildren(trend === 'failed' ? h('span', { class: 'row-error' }, 'unavailable') : '');
    }
  }
  function trendCell(name: string): HTMLTableCellElement {
    const cell = h('td', { class: 'trend', 'data-field': 'trend', 'data-trend': name });
    if (trends.has(name)) fillTrend(cell, name);
    else observer.observe(cell);
    return cell;
  }

  root.replaceChildren(
    h('h1', {}, 'SLO overview'),
    summary,
    staleSlot,
    h('div', { class: 'filters' }, serviceSelect, searchInput, progress),
    h('div', { class: 'table-wrap' }, table),
  );
  draw();
  // The browser test measures navigation to here: the table is on screen and the filters answer.
  performance.mark('overview-interactive');
  document.body.dataset.overview = 'interactive';
  document.body.dataset.overviewMs = String(Math.round(performance.now() - started));

  const byName = new Map(rows.map((r) => [r.slo.name, r]));
  const apply = (status: SloStatus) => {
    const row = byName.get(status.name);
    if (!row) return;
    row.status = status;
    delete row.error;
  };
  let lastError: unknown;
  // One request per page of 100 statuses; false when this API has no batch route.
  const batch = async (team?: string): Promise<boolean> => {
    let cursor: string | undefined;
    do {
      const page = await sloStatusPage({ team, cursor, limit: BATCH });
      if (page === null) return false;
      if (signal.aborted) return true;
      page.statuses.forEach(apply);
      scheduleDraw();
      cursor = page.nextCursor ?? undefined;
    } while (cursor && !signal.aborted);
    return true;
  };
  // One chain of pages per team, three teams at a time (the API serves dashboards with four threads: one stays free
  // for the list and the alerts), the chosen team's first: the API cuts a page short when
  // its statuses take long, so the chains keep ClickHouse busy without any request nearing the read timeout.
  const chains = async (teams: string[]): Promise<boolean> => {
    let ok = true;
    await mapLimited(teams, TEAM_CHAINS, async (team) => {
      if (!signal.aborted && !(await batch(team))) ok = false;
    });
    return ok;
  };
  const teams = distinct(rows, (r) => r.slo.team).filter((t) => t && t !== ctx.state.team);
  try {
    // false (no batch route): the loop below asks per SLO
    if (!ctx.state.team || (await chains([ctx.state.team]))) await chains(teams);
  } catch (e) {
    lastError = e;
  }
  if (signal.aborted) return;

  // Without the batch route, or for what it did not answer (SLOs without a team, a failed page): one request per
  // SLO, rows in the current view first, at most six in flight.
  const order = [...filterRows(rows, { team: ctx.state.team, service, search }), ...rows].filter((r) => !r.status);
  const seen = new Set<string>();
  await mapLimited(
    order.filter((r) => !seen.has(r.slo.name) && seen.add(r.slo.name)),
    CONCURRENCY,
    async (row) => {
      if (signal.aborted) return;
      try {
        row.status = await sloStatus(row.slo.name);
        delete row.error;
      } catch (e) {
        lastError = e;
        row.error = e instanceof Error ? e.message : String(e);
      }
      if (!signal.aborted) scheduleDraw();
    },
  );
  if (signal.aborted) return;
  if (rows.every((r) => r.error)) {
    root.replaceChildren(h('h1', {}, 'SLO overview'), failure(lastError, () => void renderOverview({ ...ctx, firstRender: true })));
    return;
  }
  draw();
  performance.mark('overview-complete');
  document.body.dataset.overview = 'complete';
}
