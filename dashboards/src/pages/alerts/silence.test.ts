import { describe, expect, it } from 'vitest';
import { silenceRequest, type SilenceForm } from './silence';

const now = new Date('2026-03-15T10:00:00Z');
const form = (over: Partial<SilenceForm>): SilenceForm => ({ slo: '', service: '', team: '', startsAt: '', duration: '1h', endsAt: '', comment: '', ...over });

describe('silenceRequest', () => {
  it('starts now and ends after the duration when no start is given', () => {
    expect(silenceRequest(form({ slo: ' checkout-availability ', comment: 'db upgrade' }), now)).toEqual({
      request: { kind: 'silence', match: { slo: 'checkout-availability' }, endsAt: '2026-03-15T11:00:00.000Z', comment: 'db upgrade' },
      errors: [],
    });
  });

  it('reads the form times as UTC', () => {
    const { request } = silenceRequest(form({ team: 'payments', service: 'checkout', startsAt: '2026-03-15T22:00', duration: 'until', endsAt: '2026-03-15T23:30' }), now);
    expect(request).toEqual({ kind: 'silence', match: { service: 'checkout', team: 'payments' }, startsAt: '2026-03-15T22:00:00.000Z', endsAt: '2026-03-15T23:30:00.000Z' });
  });

  it('says what is missing or wrong', () => {
    expect(silenceRequest(form({}), now).errors).toEqual(['Match: give at least one of SLO, service or team.']);
    expect(silenceRequest(form({ slo: 'a', duration: 'until' }), now).errors).toEqual(['Ends: give an end, or choose a duration.']);
    expect(silenceRequest(form({ slo: 'a', startsAt: '2026-03-15T08:00', duration: 'until', endsAt: '2026-03-15T07:00' }), now).errors).toEqual(['Ends: must be after the start.']);
    expect(silenceRequest(form({ slo: 'a', startsAt: '2026-03-15T08:00', duration: '30m' }), now).errors).toEqual(['Ends: must be in the future.']);
    expect(silenceRequest(form({ slo: 'a', startsAt: 'yesterday' }), now).errors).toContain('Starts: not a date and time.');
  });
});
