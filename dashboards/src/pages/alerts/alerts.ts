// Alerts for on-call: what fires now, what happened recently, who was told, and what is silenced. Each part
// degrades on its own, so an API without notification routes still shows the alerts.
import { alerts as fetchAlerts, notifications as fetchNotifications, silences as fetchSilences } from '../../api/nines';
import type { Alert } from '../../api/types';
import type { PageContext } from '../../app';
import { h } from '../../components/dom';
import { burn, pct, time } from '../../components/format';
import { empty, failure, loading } from '../../components/states';

export async function renderAlerts(ctx: PageContext): Promise<void> {
  const { root, signal, state } = ctx;
  const title = h('h1', {}, 'Alerts');
  if (ctx.firstRender) root.replaceChildren(title, loading('alerts'));
  const [all, sent, silenced] = await Promise.allSettled([fetchAlerts('all'), fetchNotifications(50), fetchSilences()]);
  if (signal.aborted) return;
  if (all.status === 'rejected') {
    root.replaceChildren(title, failure(all.reason, () => void renderAlerts({ ...ctx, firstRender: true })));
    return;
  }
  if (all.value === null) {
    root.replaceChildren(title, empty('This API has no alert routes yet.', 'Upgrade the query API; budgets and burn rates are on the SLO overview meanwhile.'));
    return;
  }
  const mine = (a: { team: string }) => !state.team || a.team === state.team;
  const list = all.value.filter(mine);
  const firing = list.filter((a) => a.state === 'firing');
  const recent = list.filter((a) => a.state !== 'firing').sort((a, b) => b.at.localeCompare(a.at)).slice(0, 50);

  const alertTable = (rows: Alert[], testid: string) =>
    h(
      'table',
      { 'data-testid': testid },
      h('thead', {}, h('tr', {}, ...['SLO', 'Severity', 'State', 'Since', 'Rule', 'Burn 1h', 'Budget spent', 'Team'].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        ...rows.map((a) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, h('a', { href: `/slos/${encodeURIComponent(a.slo)}` }, a.slo)),
            h('td', {}, h('span', { class: `tag ${a.severity}` }, a.severity)),
            h('td', {}, a.state),
            h('td', {}, time(a.at)),
            h('td', {}, a.rule),
            h('td', { class: 'num' }, burn(a.burnRates['1h'])),
            h('td', { class: 'num' }, pct(a.budgetConsumed, 1)),
            h('td', {}, a.team),
          ),
        ),
      ),
    );

  const deliveries =
    sent.status === 'rejected'
      ? failure(sent.reason)
      : sent.value === null
        ? empty('Notification log not available on this API.')
        : sent.value.filter(mine).length === 0
          ? empty('No notifications sent yet.')
          : h(
              'table',
              { 'data-testid': 'notifications' },
              h('thead', {}, h('tr', {}, ...['At', 'Alert', 'State', 'Target', 'Attempt', 'Outcome', 'Status', 'Error'].map((c) => h('th', { scope: 'col' }, c)))),
              h('tbody', {}, ...sent.value.filter(mine).map((n) => h('tr', {}, h('td', {}, time(n.at)), h('td', {}, n.alertId), h('td', {}, n.state), h('td', {}, `${n.target} (${n.targetKind})`), h('td', { class: 'num' }, String(n.attempt)), h('td', { class: `outcome ${n.outcome}` }, n.outcome), h('td', { class: 'num' }, n.statusCode ? String(n.statusCode) : '–'), h('td', {}, n.error ?? '')))),
            );
  const silenceView =
    silenced.status === 'rejected'
      ? failure(silenced.reason)
      : silenced.value === null
        ? empty('Silences not available on this API.')
        : silenced.value.filter(mine).length === 0
          ? empty('No silences.')
          : h(
              'table',
              { 'data-testid': 'silences' },
              h('thead', {}, h('tr', {}, ...['Kind', 'State', 'Team', 'Matches', 'From', 'Until', 'Budget', 'Comment'].map((c) => h('th', { scope: 'col' }, c)))),
              h('tbody', {}, ...silenced.value.filter(mine).map((s) => h('tr', {}, h('td', {}, s.kind), h('td', {}, s.state), h('td', {}, s.team), h('td', {}, Object.entries(s.match ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')), h('td', {}, time(s.startsAt)), h('td', {}, time(s.endsAt)), h('td', {}, s.excludeFromBudget ? 'excluded' : 'counts'), h('td', {}, s.comment ?? '')))),
            );

  root.replaceChildren(
    title,
    h('section', { class: 'panel' }, h('h2', {}, `Firing (${firing.length})`), firing.length ? alertTable(firing, 'firing-alerts') : empty('Nothing is firing.', 'Alerts fire when an SLO burns its budget faster than its policy allows.')),
    h('section', { class: 'panel' }, h('h2', {}, 'Recent'), recent.length ? alertTable(recent, 'recent-alerts') : empty('No resolved or pending alerts.')),
    h('section', { class: 'panel' }, h('h2', {}, 'Deliveries'), deliveries),
    h('section', { class: 'panel' }, h('h2', {}, 'Silences and maintenance windows'), silenceView),
  );
}
