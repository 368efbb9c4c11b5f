// The silence form's values turned into the API's request, checked first so the form can say what is missing
// before a round trip. Times in the form are UTC, as every time on these pages.
import type { NewSilence } from '../../api/nines';

export interface SilenceForm {
  slo: string;
  service: string;
  team: string;
  /** datetime-local text (UTC), empty for now */
  startsAt: string;
  /** 30m, 1h, 2h, 4h, 8h, 1d, 7d, or 'until' to use endsAt */
  duration: string;
  /** datetime-local text (UTC), used with duration 'until' */
  endsAt: string;
  comment: string;
}

const DURATIONS: Record<string, number> = { '30m': 30, '1h': 60, '2h': 120, '4h': 240, '8h': 480, '1d': 1440, '7d': 10080 };
export const DURATION_CHOICES = Object.keys(DURATIONS);

const utc = (local: string) => new Date(/[zZ]|[+-]\d\d:\d\d$/.test(local) ? local : `${local}Z`);

/** The request, or the problems (field and reason) that keep it from being sent. */
export function silenceRequest(form: SilenceForm, now: Date): { request?: NewSilence; errors: string[] } {
  const errors: string[] = [];
  const match: Record<string, string> = {};
  for (const key of ['slo', 'service', 'team'] as const) {
    const value = form[key].trim();
    if (value) match[key] = value;
  }
  if (Object.keys(match).length === 0) errors.push('Match: give at least one of SLO, service or team.');
  const start = form.startsAt.trim() ? utc(form.startsAt.trim()) : now;
  if (Number.isNaN(start.getTime())) errors.push('Starts: not a date and time.');
  let end: Date;
  if (form.duration === 'until') {
    end = utc(form.endsAt.trim());
    if (!form.endsAt.trim() || Number.isNaN(end.getTime())) errors.push('Ends: give an end, or choose a duration.');
  } else if (DURATIONS[form.duration] !== undefined) {
    end = new Date(start.getTime() + DURATIONS[form.duration]! * 60_000);
  } else {
    errors.push('Duration: choose one.');
    end = new Date(Number.NaN);
  }
  if (!errors.length && end.getTime() <= start.getTime()) errors.push('Ends: must be after the start.');
  if (!errors.length && end.getTime() <= now.getTime()) errors.push('Ends: must be in the future.');
  if (errors.length) return { errors };
  const request: NewSilence = { kind: 'silence', match, endsAt: end.toISOString() };
  if (form.startsAt.trim()) request.startsAt = start.toISOString();
  if (form.comment.trim()) request.comment = form.comment.trim();
  return { request, errors };
}
