// Pure data shaping for the overview, kept apart from the DOM so that it is unit-tested.
import type { Alert, SloStatus, SloSummary } from '../../api/types';

export interface Row {
  slo: SloSummary;
  status?: SloStatus;
  /** Set when this SLO's status could not be read; the row says so instead of vanishing. */
  error?: string;
  firing: Alert[];
}

export interface Filters {
  team: string;
  service: string;
  search: string;
}

export function filterRows(rows: readonly Row[], filters: Filters): Row[] {
  const needle = filters.search.trim().toLowerCase();
  return rows.filter(
    (row) =>
      (!filters.team || row.slo.team === filters.team) &&
      (!filters.service || row.slo.service === filters.service) &&
      (!needle || row.slo.name.toLowerCase().includes(needle) || (row.slo.displayName ?? '').toLowerCase().includes(needle)),
  );
}

/**
 * Riskiest first: least budget remaining, then the fastest 1h burn, then firing alerts; rows whose status is
 * not known yet go last, so they never look safer or riskier than they are. Name breaks ties, so the order is
 * stable between refreshes.
 */
export function compareRisk(a: Row, b: Row): number {
  const ra = a.status?.errorBudget.remaining;
  const rb = b.status?.errorBudget.remaining;
  if (ra === undefined || rb === undefined) {
    if (ra !== rb) return ra === undefined ? 1 : -1;
  } else if (ra !== rb) {
    return ra - rb;
  }
  const ba = burn1h(a.status) ?? -1;
  const bb = burn1h(b.status) ?? -1;
  if (ba !== bb) return bb - ba;
  if (a.firing.length !== b.firing.length) return b.firing.length - a.firing.length;
  return a.slo.name < b.slo.name ? -1 : a.slo.name > b.slo.name ? 1 : 0;
}

export function sortByRisk(rows: readonly Row[]): Row[] {
  return [...rows].sort(compareRisk);
}

export function burn1h(status: SloStatus | undefined): number | undefined {
  const value = status?.burnRates['1h'];
  return value === undefined || value === null || !Number.isFinite(value) ? undefined : value;
}

export type BudgetLevel = 'ok' | 'warning' | 'critical' | 'exhausted' | 'unknown';

export interface BudgetBar {
  /** Bar width in percent, 0..100. */
  width: number;
  level: BudgetLevel;
  label: string;
}

/**
 * The budget bar: the share of the window's error budget still unspent. Overspent budgets (remaining below 0)
 * show an empty red bar and the overspend in the label, since a bar cannot be shorter than empty.
 */
export function budgetBar(remaining: number | undefined | null, total?: number): BudgetBar {
  if (remaining === undefined || remaining === null || !Number.isFinite(remaining)) {
    return { width: 0, level: 'unknown', label: '–' };
  }
  if (total === 0) return { width: 100, level: 'unknown', label: 'no events yet' };
  const width = Math.round(Math.min(1, Math.max(0, remaining)) * 1000) / 10;
  const level: BudgetLevel = remaining <= 0 ? 'exhausted' : remaining < 0.25 ? 'critical' : remaining < 0.5 ? 'warning' : 'ok';
  const label = remaining < 0 ? `${percent(remaining)} (overspent)` : percent(remaining);
  return { width, level, label };
}

export function percent(value: number, digits = 1): string {
  return `${(value * 100).toFixed(digits)}%`;
}

/** Distinct values for a filter's options, sorted. */
export function distinct(rows: readonly Row[], pick: (row: Row) => string): string[] {
  return [...new Set(rows.map(pick).filter((v) => v !== ''))].sort();
}

/** Firing alerts by SLO name. */
export function firingBySlo(alerts: readonly Alert[] | null): Map<string, Alert[]> {
  const map = new Map<string, Alert[]>();
  for (const alert of alerts ?? []) {
    if (alert.state !== 'firing') continue;
    const list = map.get(alert.slo) ?? [];
    list.push(alert);
    map.set(alert.slo, list);
  }
  return map;
}
