// The routes the dashboards read, one function each.
import { ApiError, getJson, getText, q, request } from './client';
import type { Alert, LatencyHeatmap, LatencySeries, Notification, Session, Silence, SloHistory, SloStatus, SloSummary } from './types';

export async function login(token: string): Promise<Session> {
  const response = await request('/api/v1/session', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  return (await response.json()) as Session;
}

export async function logout(): Promise<void> {
  await request('/api/v1/session', { method: 'DELETE' });
}

export const session = () => getJson<Session>('/api/v1/session');

/**
 * Every item of a paginated list, following nextCursor: pages of 1000, so one page usually holds them all.
 * `path` may carry its own query; `field` names the list in each page.
 */
export async function allPages<T>(path: string, field: string): Promise<T[]> {
  const items: T[] = [];
  const separator = path.includes('?') ? '&' : '?';
  let cursor: string | undefined | null;
  do {
    const page = await getJson<Record<string, unknown>>(`${path}${separator}limit=1000${cursor ? `&cursor=${q(cursor)}` : ''}`);
    items.push(...((page[field] as T[] | undefined) ?? []));
    cursor = page.nextCursor as string | undefined | null;
  } while (cursor);
  return items;
}

/** Every SLO. */
export const allSlos = (): Promise<SloSummary[]> => allPages<SloSummary>('/api/v1/slos', 'slos');

/** One page of statuses from the batch route, or null when this API has no batch route (older builds). */
export async function sloStatusPage(options: { team?: string; cursor?: string; limit?: number }): Promise<{ statuses: SloStatus[]; nextCursor?: string | null } | null> {
  const params = new URLSearchParams({ limit: String(options.limit ?? 100), groups: '20' });
  if (options.team) params.set('team', options.team);
  if (options.cursor) params.set('cursor', options.cursor);
  try {
    return await getJson<{ statuses: SloStatus[]; nextCursor?: string | null }>(`/api/v1/slo-statuses?${params}`);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}

export const sloStatus = (name: string) => getJson<SloStatus>(`/api/v1/slos/${q(name)}/status?groups=20`);

export const sloDocumentYaml = (name: string) => getText(`/api/v1/slos/${q(name)}`, 'application/yaml');

export function sloHistory(name: string, from?: number, to?: number, step?: string): Promise<SloHistory> {
  const params = new URLSearchParams();
  if (from !== undefined) params.set('from', String(from));
  if (to !== undefined) params.set('to', String(to));
  if (step) params.set('step', step);
  return getJson<SloHistory>(`/api/v1/slos/${q(name)}/history?${params}`);
}

/**
 * Alerts by state, or null when this API has no alert routes (older builds): the pages then say so instead of
 * failing.
 */
export async function alerts(state: 'firing' | 'all'): Promise<Alert[] | null> {
  try {
    return await allPages<Alert>(`/api/v1/alerts?state=${state}`, 'alerts');
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}

export async function notifications(limit = 50, alertId?: string): Promise<Notification[] | null> {
  try {
    const alert = alertId ? `&alertId=${q(alertId)}` : '';
    return (await getJson<{ notifications: Notification[] }>(`/api/v1/notifications?limit=${limit}${alert}`)).notifications;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}

export async function silences(): Promise<Silence[] | null> {
  try {
    return await allPages<Silence>('/api/v1/silences?state=active', 'silences');
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}

export interface NewSilence {
  kind: 'silence';
  match: Record<string, string>;
  startsAt?: string;
  endsAt: string;
  comment?: string;
}

export async function createSilence(silence: NewSilence): Promise<Silence> {
  const response = await request('/api/v1/silences', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(silence),
  });
  return (await response.json()) as Silence;
}

export async function expireSilence(id: string): Promise<void> {
  await request(`/api/v1/silences/${q(id)}`, { method: 'DELETE' });
}

export async function services(): Promise<string[]> {
  return (await allPages<{ name: string }>('/api/v1/services', 'services')).map((s) => s.name);
}

export function latencySeries(service: string, from: number, to: number, operation?: string): Promise<LatencySeries> {
  const params = new URLSearchParams({ from: String(from), to: String(to), quantiles: '0.5,0.9,0.99,0.999' });
  if (operation) params.set('operation', operation);
  return getJson<LatencySeries>(`/api/v1/services/${q(service)}/latency/series?${params}`);
}

/** Spans per step and latency band over the range: the API merges the sketch buckets into at most `bands` bands. */
export function latencyHeatmap(service: string, from: number, to: number, operation?: string, bands = 30): Promise<LatencyHeatmap> {
  const params = new URLSearchParams({ from: String(from), to: String(to), bands: String(bands) });
  if (operation) params.set('operation', operation);
  return getJson<LatencyHeatmap>(`/api/v1/services/${q(service)}/latency/heatmap?${params}`);
}
