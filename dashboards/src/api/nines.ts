// The routes the dashboards read, one function each.
import { ApiError, getJson, getText, q, request } from './client';
import type { Alert, LatencySeries, Notification, Session, Silence, SloHistory, SloList, SloStatus, SloSummary } from './types';

export async function login(token: string): Promise<Session> {
  const response = await request('/api/v1/session', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  return (await response.json()) as Session;
}

export async function logout(): Promise<void> {
  await request('/api/v1/session', { method: 'DELETE' });
}

export const session = () => getJson<Session>('/api/v1/session');

/** Every SLO, following the cursor: the list is small per SLO, so one page of 1000 usually holds them all. */
export async function allSlos(): Promise<SloSummary[]> {
  const slos: SloSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await getJson<SloList>(`/api/v1/slos?limit=1000${cursor ? `&cursor=${q(cursor)}` : ''}`);
    slos.push(...page.slos);
    cursor = page.nextCursor;
  } while (cursor);
  return slos;
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
    return (await getJson<{ alerts: Alert[] }>(`/api/v1/alerts?state=${state}`)).alerts;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}

export async function notifications(limit = 50): Promise<Notification[] | null> {
  try {
    return (await getJson<{ notifications: Notification[] }>(`/api/v1/notifications?limit=${limit}`)).notifications;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}

export async function silences(): Promise<Silence[] | null> {
  try {
    return (await getJson<{ silences: Silence[] }>('/api/v1/silences?state=all')).silences;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}

export async function services(): Promise<string[]> {
  return (await getJson<{ services: { name: string }[] }>('/api/v1/services')).services.map((s) => s.name);
}

export function latencySeries(service: string, from: number, to: number, operation?: string): Promise<LatencySeries> {
  const params = new URLSearchParams({ from: String(from), to: String(to), quantiles: '0.5,0.9,0.99,0.999' });
  if (operation) params.set('operation', operation);
  return getJson<LatencySeries>(`/api/v1/services/${q(service)}/latency/series?${params}`);
}
