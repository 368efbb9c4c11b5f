// Every view's state lives in the URL, so a link shows the recipient exactly what the sender saw.

export const PRESETS = ['1h', '6h', '24h', '7d', '30d'] as const;
export type Preset = (typeof PRESETS)[number];
export const REFRESHES = ['off', '30s', '1m'] as const;
export type Refresh = (typeof REFRESHES)[number];

export type TimeRange = { preset: Preset } | { from: number; to: number };

export interface ViewState {
  range: TimeRange;
  refresh: Refresh;
  team: string;
  service: string;
  search: string;
  operation: string;
}

export const DEFAULT_STATE: ViewState = {
  range: { preset: '24h' },
  refresh: 'off',
  team: '',
  service: '',
  search: '',
  operation: '',
};

const PRESET_MS: Record<Preset, number> = {
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

export const REFRESH_MS: Record<Refresh, number> = { off: 0, '30s': 30_000, '1m': 60_000 };

function isPreset(value: string | null): value is Preset {
  return value !== null && (PRESETS as readonly string[]).includes(value);
}

function isRefresh(value: string | null): value is Refresh {
  return value !== null && (REFRESHES as readonly string[]).includes(value);
}

/** Reads a query string; anything unknown or malformed falls back to the default rather than breaking the page. */
export function parseState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const from = Date.parse(params.get('from') ?? '');
  const to = Date.parse(params.get('to') ?? '');
  const preset = params.get('range');
  const range: TimeRange =
    Number.isFinite(from) && Number.isFinite(to) && from < to
      ? { from, to }
      : { preset: isPreset(preset) ? preset : '24h' };
  const refresh = params.get('refresh');
  return {
    range,
    refresh: isRefresh(refresh) ? refresh : 'off',
    team: params.get('team') ?? '',
    service: params.get('service') ?? '',
    search: params.get('q') ?? '',
    operation: params.get('op') ?? '',
  };
}

/** Writes only what differs from the defaults, so shared links stay short and readable. */
export function formatState(state: ViewState): string {
  const params = new URLSearchParams();
  if ('preset' in state.range) {
    if (state.range.preset !== '24h') params.set('range', state.range.preset);
  } else {
    params.set('from', new Date(state.range.from).toISOString());
    params.set('to', new Date(state.range.to).toISOString());
  }
  if (state.refresh !== 'off') params.set('refresh', state.refresh);
  if (state.team) params.set('team', state.team);
  if (state.service) params.set('service', state.service);
  if (state.search) params.set('q', state.search);
  if (state.operation) params.set('op', state.operation);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The absolute [from, to) a range stands for at `now`; presets end now, so each refresh moves them forward. */
export function resolveRange(range: TimeRange, now: number): { from: number; to: number } {
  if ('preset' in range) return { from: now - PRESET_MS[range.preset], to: now };
  return { from: range.from, to: range.to };
}

export function rangeLabel(range: TimeRange): string {
  if ('preset' in range) return `last ${range.preset}`;
  const fmt = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
  return `${fmt(range.from)} – ${fmt(range.to)} UTC`;
}
