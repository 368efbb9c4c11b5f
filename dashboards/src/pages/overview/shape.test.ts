import { describe, expect, it } from 'vitest';
import type { Alert, SloStatus, SloSummary } from '../../api/types';
import { budgetBar, filterRows, firingBySlo, sortByRisk, type Row } from './shape';

const slo = (name: string, team = 'payments', service = 'checkout'): SloSummary => ({
  name, team, service, target: 0.999, window: '30d', budgetingMethod: 'Occurrences', version: 1,
});

const status = (name: string, remaining: number, burn1h = 1): SloStatus => ({
  name, team: 'payments', service: 'checkout', target: 0.999, window: '30d', budgetingMethod: 'Occurrences',
  asOf: '2026-11-29T10:00:00Z', sli: 0.9995, good: 9995, total: 10000,
  errorBudget: { total: 10, consumed: 10 - remaining * 10, remaining },
  burnRates: { '5m': 1, '1h': burn1h }, exhaustion: null, provisional: false,
});

const row = (name: string, remaining?: number, burn = 1, firing: Alert[] = []): Row => ({
  slo: slo(name), ...(remaining === undefined ? {} : { status: status(name, remaining, burn) }), firing,
});

describe('risk sort', () => {
  it('puts the least budget remaining first, overspent before empty', () => {
    const sorted = sortByRisk([row('a', 0.9), row('b', -0.4), row('c', 0), row('d', 0.3)]);
    expect(sorted.map((r) => r.slo.name)).toEqual(['b', 'c', 'd', 'a']);
  });

  it('breaks budget ties by the faster 1h burn, then by name', () => {
    const sorted = sortByRisk([row('z', 0.5, 2), row('y', 0.5, 14.4), row('x', 0.5, 2)]);
    expect(sorted.map((r) => r.slo.name)).toEqual(['y', 'x', 'z']);
  });

  it('keeps SLOs whose status is unknown last, never in between', () => {
    const sorted = sortByRisk([row('unknown'), row('safe', 1), row('risky', 0.01)]);
    expect(sorted.map((r) => r.slo.name)).toEqual(['risky', 'safe', 'unknown']);
  });
});

describe('budget bar', () => {
  it('is as wide as the share of budget left, and says how much', () => {
    expect(budgetBar(0.423)).toEqual({ width: 42.3, level: 'warning', label: '42.3%' });
    expect(budgetBar(1)).toEqual({ width: 100, level: 'ok', label: '100.0%' });
    expect(budgetBar(0.1).level).toBe('critical');
  });

  it('is empty and red when overspent, with the overspend in words', () => {
    expect(budgetBar(-0.25)).toEqual({ width: 0, level: 'exhausted', label: '-25.0% (overspent)' });
  });

  it('says unknown rather than full when there is no status or no events', () => {
    expect(budgetBar(undefined).level).toBe('unknown');
    expect(budgetBar(1, 0).label).toBe('no events yet');
  });
});

describe('filters', () => {
  const rows: Row[] = [
    { slo: slo('checkout-availability', 'payments', 'checkout'), firing: [] },
    { slo: slo('search-latency', 'discovery', 'search'), firing: [] },
    { slo: slo('checkout-latency', 'payments', 'checkout'), firing: [] },
  ];

  it('match team, service and a case-insensitive name search together', () => {
    expect(filterRows(rows, { team: 'payments', service: '', search: 'LATENCY' }).map((r) => r.slo.name)).toEqual([
      'checkout-latency',
    ]);
    expect(filterRows(rows, { team: '', service: 'search', search: '' })).toHaveLength(1);
    expect(filterRows(rows, { team: '', service: '', search: '' })).toHaveLength(3);
  });
});

describe('firing alerts', () => {
  it('are grouped by SLO, ignoring other states', () => {
    const alert = (slo: string, state: string) => ({ slo, state, severity: 'page' }) as Alert;
    const map = firingBySlo([alert('a', 'firing'), alert('a', 'resolved'), alert('b', 'firing')]);
    expect(map.get('a')).toHaveLength(1);
    expect(map.get('b')).toHaveLength(1);
    expect(firingBySlo(null).size).toBe(0);
  });
});
