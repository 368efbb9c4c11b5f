// The shared controls: time range (presets and custom), auto-refresh and team. They only change the URL; the
// router re-renders from it, so the URL is the one source of truth.
import { PRESETS, REFRESHES, type ViewState } from '../state/url';
import { h } from './dom';

export interface ControlOptions {
  state: ViewState;
  teams: string[];
  showRange: boolean;
  update: (change: Partial<ViewState>) => void;
}

const toLocalInput = (t: number) => new Date(t - new Date(t).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

export function controls({ state, teams, showRange, update }: ControlOptions): HTMLElement {
  const bar = h('div', { class: 'controls', role: 'group', 'aria-label': 'View controls' });
  if (showRange) {
    const presets = h('div', { class: 'presets', role: 'group', 'aria-label': 'Time range' });
    for (const preset of PRESETS) {
      const active = 'preset' in state.range && state.range.preset === preset;
      presets.append(
        h('button', { type: 'button', class: active ? 'active' : '', 'aria-pressed': String(active), 'data-range': preset, onclick: () => update({ range: { preset } }) }, preset),
      );
    }
    const now = Date.now();
    const current = 'preset' in state.range ? { from: now - 86_400_000, to: now } : state.range;
    const from = h('input', { type: 'datetime-local', 'aria-label': 'From', value: toLocalInput(current.from) });
    const to = h('input', { type: 'datetime-local', 'aria-label': 'To', value: toLocalInput(current.to) });
    const custom = h(
      'form',
      {
        class: 'custom-range',
        onsubmit: (event: Event) => {
          event.preventDefault();
          const f = new Date(from.value).getTime();
          const t = new Date(to.value).getTime();
          if (Number.isFinite(f) && Number.isFinite(t) && f < t) update({ range: { from: f, to: t } });
          else to.setCustomValidity('the end must come after the start');
          to.reportValidity();
        },
      },
      from,
      to,
      h('button', { type: 'submit', class: 'from' in state.range ? 'active' : '' }, 'Apply'),
    );
    to.addEventListener('input', () => to.setCustomValidity(''));
    bar.append(presets, custom);
  }
  const refresh = h('select', { 'aria-label': 'Auto-refresh', onchange: (e: Event) => update({ refresh: (e.target as HTMLSelectElement).value as ViewState['refresh'] }) });
  for (const value of REFRESHES) refresh.append(h('option', { value, ...(value === state.refresh ? { selected: true } : {}) }, value === 'off' ? 'Refresh: off' : `Refresh: ${value}`));
  const team = h('select', { 'aria-label': 'Team', 'data-testid': 'team-filter', onchange: (e: Event) => update({ team: (e.target as HTMLSelectElement).value }) });
  team.append(h('option', { value: '' }, 'All teams'));
  for (const t of new Set([...teams, ...(state.team ? [state.team] : [])])) team.append(h('option', { value: t, ...(t === state.team ? { selected: true } : {}) }, t));
  bar.append(refresh, team);
  return bar;
}
