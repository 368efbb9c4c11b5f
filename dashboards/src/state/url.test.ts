import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, formatState, parseState, resolveRange, type ViewState } from './url';

describe('URL state', () => {
  it('round-trips every field', () => {
    const state: ViewState = {
      range: { from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-11-02T12:30:00Z') },
      refresh: '30s',
      team: 'payments & co',
      service: 'checkout',
      search: 'avail ability',
      operation: 'POST /checkout',
    };
    expect(parseState(formatState(state))).toEqual(state);
    const preset: ViewState = { ...DEFAULT_STATE, range: { preset: '7d' }, refresh: '1m' };
    expect(parseState(formatState(preset))).toEqual(preset);
  });

  it('writes nothing for the defaults, so plain links stay plain', () => {
    expect(formatState(DEFAULT_STATE)).toBe('');
    expect(parseState('')).toEqual(DEFAULT_STATE);
  });

  it('falls back to defaults for garbage instead of failing', () => {
    const state = parseState('?range=5y&refresh=1s&from=yesterday&to=2026-01-01');
    expect(state.range).toEqual({ preset: '24h' });
    expect(state.refresh).toBe('off');
    expect(parseState('?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z').range).toEqual({ preset: '24h' });
  });

  it('resolves presets relative to now and custom ranges as given', () => {
    expect(resolveRange({ preset: '1h' }, 10_000_000)).toEqual({ from: 10_000_000 - 3_600_000, to: 10_000_000 });
    expect(resolveRange({ from: 1, to: 2 }, 99)).toEqual({ from: 1, to: 2 });
  });
});
