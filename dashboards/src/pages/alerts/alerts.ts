// Alerts for on-call: what fires now, what happened recently, who was told about each alert, the notification
// log, and silences (listed, created, expired). Each part degrades on its own, so an API without notification
// routes still shows the alerts. An auto-refresh updates the lists in place and leaves the silence form alone,
// so a half-typed silence survives it.
import { ApiError, explain } from '../../api/client';
import { alerts as fetchAlerts, createSilence, expireSilence, notifications as fetchNotifications, silences as fetchSilences } from '../../api/nines';
import type { Alert, Notification, Silence } from '../../api/types';
import type { PageContext } from '../../app';
import { h } from '../../components/dom';
import { burn, latencyObservation, pct, time } from '../../components/format';
import { empty, failure, loading } from '../../components/states';
import { DURATION_CHOICES, silenceRequest } from './silence';

const ALERT_COLUMNS = ['SLO', 'Severity', 'State', 'Since', 'Rule', 'Burn 1h', 'Budget spent', 'Team', 'Deliveries'];

export async function renderAlerts(ctx: PageContext): Promise<void> {
  const { root, signal, state } = ctx;
  let page = root.querySelector<HTMLElement>('[data-page=alerts]');
  if (ctx.firstRender || !page) {
    page = layout(ctx);
    root.replaceChildren(page);
  }
  const slot = (name: string) => page!.querySelector<HTMLElement>(`[data-slot=${name}]`)!;
  const mine = (a: { team?: string | null }) => !state.team || a.team === state.team;

  if (ctx.firstRender) {
    slot('firing').replaceChildren(loading('alerts'));
    slot('recent').replaceChildren();
    slot('log').replaceChildren(loading('the notification log'));
  }
  const silencesDone = loadSilences(page, ctx);
  const [all, sent] = await Promise.allSettled([fetchAlerts('all'), fetchNotifications(50)]);
  if (signal.aborted) return;

  if (all.status === 'rejected') {
    slot('firing').replaceChildren(failure(all.reason, () => void renderAlerts({ ...ctx, firstRender: true })));
    slot('recent').replaceChildren();
  } else if (all.value === null) {
    slot('firing').replaceChildren(empty('This API has no alert routes yet.', 'Upgrade the query API; budgets and burn rates are on the SLO overview meanwhile.'));
    slot('recent').replaceChildren();
  } else {
    const list = all.value.filter(mine);
    const firing = list.filter((a) => a.state === 'firing');
    const recent = list.filter((a) => a.state !== 'firing').sort((a, b) => b.at.localeCompare(a.at)).slice(0, 50);
    page.querySelector('[data-count=firing]')!.textContent = String(firing.length);
    slot('firing').replaceChildren(firing.length ? alertTable(firing, 'firing-alerts', signal) : empty('Nothing is firing.', 'Alerts fire when an SLO burns its budget faster than its policy allows.'));
    slot('recent').replaceChildren(recent.length ? alertTable(recent, 'recent-alerts', signal) : empty('No resolved or pending alerts.'));
  }

  slot('log').replaceChildren(
    sent.status === 'rejected'
      ? failure(sent.reason)
      : sent.value === null
        ? empty('Notification log not available on this API.')
        : sent.value.filter(mine).length === 0
          ? empty('No notifications sent yet.', 'Each firing or resolved transition is routed to the targets its SLO names.')
          : deliveryTable(sent.value.filter(mine), 'notifications', true),
  );
  await silencesDone;
  if (!signal.aborted) document.body.dataset.alerts = 'loaded';
}

function layout(ctx: PageContext): HTMLElement {
  document.body.dataset.alerts = 'loading';
  return h(
    'div',
    { 'data-page': 'alerts' },
    h('h1', {}, 'Alerts'),
    h('section', { class: 'panel', 'aria-labelledby': 'h-firing' }, h('h2', { id: 'h-firing' }, 'Firing (', h('span', { 'data-count': 'firing' }, '…'), ')'), h('div', { 'data-slot': 'firing' })),
    h('section', { class: 'panel', 'aria-labelledby': 'h-recent' }, h('h2', { id: 'h-recent' }, 'Recent'), h('div', { 'data-slot': 'recent' })),
    h('section', { class: 'panel', 'aria-labelledby': 'h-silences' }, h('h2', { id: 'h-silences' }, 'Silences and maintenance windows'), silenceForm(ctx), h('div', { 'data-slot': 'silences' })),
    h('section', { class: 'panel', 'aria-labelledby': 'h-log' }, h('h2', { id: 'h-log' }, 'Notification log'), h('div', { 'data-slot': 'log' })),
  );
}

function alertTable(rows: Alert[], testid: string, signal: AbortSignal): HTMLTableElement {
  const tbody = h('tbody');
  rows.forEach((a, i) => {
    const detailId = `${testid}-deliveries-${i}`;
    const detail = h('tr', { class: 'deliveries', id: detailId, hidden: true, 'data-deliveries': a.alertId }, h('td', { colspan: String(ALERT_COLUMNS.length) }));
    const toggle = h('button', { type: 'button', class: 'link', 'aria-expanded': 'false', 'aria-controls': detailId, 'data-action': 'deliveries' }, 'Show');
    let loaded = false;
    toggle.addEventListener('click', async () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      toggle.textContent = open ? 'Hide' : 'Show';
      detail.hidden = !open;
      if (!open || loaded) return;
      loaded = true;
      const cell = detail.firstElementChild as HTMLElement;
      cell.replaceChildren(loading(`deliveries of ${a.alertId}`));
      try {
        const sent = await fetchNotifications(100, a.alertId);
        if (signal.aborted) return;
        cell.replaceChildren(
          sent === null
            ? empty('Notification log not available on this API.')
            : sent.length === 0
              ? empty(`No deliveries for ${a.alertId}.`, 'Pending transitions are not delivered, and an SLO without notification targets pages nobody.')
              : deliveryTable(sent, 'alert-deliveries', false),
        );
      } catch (e) {
        loaded = false;
        cell.replaceChildren(failure(e));
      }
    });
    tbody.append(
      h(
        'tr',
        { 'data-alert': a.alertId },
        h('th', { scope: 'row' }, h('a', { href: `/slos/${encodeURIComponent(a.slo)}` }, a.slo)),
        h('td', {}, h('span', { class: `tag ${a.severity}` }, a.severity)),
        h('td', { 'data-field': 'state' }, a.state),
        h('td', {}, time(a.at)),
        h('td', {}, a.rule, ...(a.latency ? [h('br'), h('span', { class: 'observed', 'data-field': 'observed' }, latencyObservation(a.latency))] : [])),
        h('td', { class: 'num' }, burn(a.burnRates['1h'])),
        h('td', { class: 'num' }, pct(a.budgetConsumed, 1)),
        h('td', {}, a.team),
        h('td', {}, toggle),
      ),
      detail,
    );
  });
  return h('table', { 'data-testid': testid }, h('thead', {}, h('tr', {}, ...ALERT_COLUMNS.map((c) => h('th', { scope: 'col' }, c)))), tbody);
}

function deliveryTable(rows: Notification[], testid: string, withAlert: boolean): HTMLTableElement {
  const columns = ['At', ...(withAlert ? ['Alert'] : []), 'Transition', 'Target', 'Attempt', 'Outcome', 'Status', 'Latency', 'Error'];
  return h(
    'table',
    { 'data-testid': testid, class: 'compact' },
    h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ...rows.map((n) =>
        h(
          'tr',
          { 'data-target': n.target, 'data-outcome': n.outcome },
          h('td', {}, time(n.at)),
          withAlert ? h('td', {}, n.alertId) : null,
          h('td', {}, `${n.state} #${n.sequence}`),
          h('td', { 'data-field': 'target' }, `${n.target} (${n.targetKind})`),
          h('td', { class: 'num' }, n.attempt ? String(n.attempt) : 'decision'),
          h('td', { class: `outcome ${n.outcome}`, 'data-field': 'outcome' }, n.outcome),
          h('td', { class: 'num' }, n.statusCode ? String(n.statusCode) : '–'),
          h('td', { class: 'num' }, n.attempt ? `${n.latencyMs} ms` : '–'),
          h('td', {}, n.error ?? ''),
        ),
      ),
    ),
  );
}

async function loadSilences(page: HTMLElement, ctx: PageContext): Promise<void> {
  const slot = page.querySelector<HTMLElement>('[data-slot=silences]')!;
  if (!slot.firstChild) slot.replaceChildren(loading('silences'));
  try {
    const list = await fetchSilences();
    if (ctx.signal.aborted) return;
    const mine = (list ?? []).filter((s) => !ctx.state.team || s.team === ctx.state.team || (s.match?.team ?? '') === ctx.state.team);
    slot.replaceChildren(
      list === null
        ? empty('Silences not available on this API.')
        : mine.length === 0
          ? empty('No active or upcoming silences.', 'Create one above to stop pages for a planned change; delivery records silenced alerts without sending them.')
          : silenceTable(mine, page, ctx),
    );
  } catch (e) {
    if (!ctx.signal.aborted) slot.replaceChildren(failure(e, () => void loadSilences(page, ctx)));
  }
}

function silenceTable(rows: Silence[], page: HTMLElement, ctx: PageContext): HTMLTableElement {
  const status = page.querySelector<HTMLElement>('[data-testid=silence-status]')!;
  return h(
    'table',
    { 'data-testid': 'silences' },
    h('thead', {}, h('tr', {}, ...['Kind', 'State', 'Team', 'Matches', 'From', 'Until', 'Budget', 'Comment', 'By', ''].map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ...rows.map((s) => {
        const matches = Object.entries(s.match ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
        const expire = h('button', { type: 'button', 'data-action': 'expire', 'aria-label': `Expire silence ${matches}${s.comment ? ` (${s.comment})` : ''}` }, 'Expire');
        expire.addEventListener('click', async () => {
          expire.setAttribute('disabled', '');
          status.textContent = 'Expiring…';
          try {
            await expireSilence(s.id);
            status.textContent = `Silence ${matches} expired.`;
            await loadSilences(page, ctx);
          } catch (e) {
            status.textContent = `Could not expire the silence: ${explain(e)}`;
            expire.removeAttribute('disabled');
          }
        });
        return h(
          'tr',
          { 'data-silence': s.id },
          h('td', {}, s.kind),
          h('td', { 'data-field': 'state' }, s.state),
          h('td', {}, s.team ?? ''),
          h('td', { 'data-field': 'match' }, matches),
          h('td', {}, time(s.startsAt)),
          h('td', {}, s.endsAt ? time(s.endsAt) : 'until expired'),
          h('td', {}, s.excludeFromBudget ? 'excluded' : 'counts'),
          h('td', { 'data-field': 'comment' }, s.comment ?? ''),
          h('td', {}, s.createdBy ?? ''),
          h('td', {}, expire),
        );
      }),
    ),
  );
}

function silenceForm(ctx: PageContext): HTMLElement {
  const field = (id: string, label: string, input: HTMLElement, hint?: string) =>
    h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('span', { class: 'hint' }, hint) : null);
  const slo = h('input', { id: 'silence-slo', name: 'slo', autocomplete: 'off', placeholder: 'checkout-availability' });
  const service = h('input', { id: 'silence-service', name: 'service', autocomplete: 'off', placeholder: 'checkout' });
  const team = h('input', { id: 'silence-team', name: 'team', autocomplete: 'off', placeholder: 'payments', value: ctx.state.team ?? '' });
  const startsAt = h('input', { id: 'silence-starts', name: 'startsAt', type: 'datetime-local' });
  const duration = h('select', { id: 'silence-duration', name: 'duration' }, ...DURATION_CHOICES.map((d) => h('option', { value: d, ...(d === '1h' ? { selected: true } : {}) }, d)), h('option', { value: 'until' }, 'until…'));
  const endsAt = h('input', { id: 'silence-ends', name: 'endsAt', type: 'datetime-local', disabled: true });
  const comment = h('input', { id: 'silence-comment', name: 'comment', autocomplete: 'off', placeholder: 'database upgrade' });
  const message = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'silence-error' });
  const status = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite', 'data-testid': 'silence-status' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create silence');
  duration.addEventListener('change', () => {
    if (duration.value === 'until') endsAt.removeAttribute('disabled');
    else endsAt.setAttribute('disabled', '');
  });
  const form = h(
    'form',
    { class: 'silence-form', 'aria-label': 'New silence', 'data-testid': 'silence-form' },
    h('fieldset', {}, h('legend', {}, 'Match (every field given must equal the alert\'s)'), field('silence-slo', 'SLO', slo), field('silence-service', 'Service', service), field('silence-team', 'Team', team)),
    h('fieldset', {}, h('legend', {}, 'When (UTC)'), field('silence-starts', 'Starts', startsAt, 'empty: now'), field('silence-duration', 'Duration', duration), field('silence-ends', 'Ends', endsAt)),
    field('silence-comment', 'Comment', comment),
    h('div', { class: 'actions' }, submit, message, status),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    const { request, errors } = silenceRequest(
      { slo: slo.value, service: service.value, team: team.value, startsAt: startsAt.value, duration: duration.value, endsAt: endsAt.value, comment: comment.value },
      new Date(),
    );
    if (!request) {
      message.textContent = errors.join(' ');
      return;
    }
    submit.setAttribute('disabled', '');
    status.textContent = 'Creating…';
    try {
      const created = await createSilence(request);
      status.textContent = `Silence created (${created.state}, until ${time(created.endsAt)}).`;
      slo.value = service.value = comment.value = startsAt.value = '';
      const page = form.closest<HTMLElement>('[data-page=alerts]');
      if (page) await loadSilences(page, ctx);
    } catch (e) {
      status.textContent = '';
      message.textContent = e instanceof ApiError && e.status === 403 ? 'Creating silences needs an editor token (your own team) or an admin token.' : explain(e);
    } finally {
      submit.removeAttribute('disabled');
    }
  });
  return form;
}
