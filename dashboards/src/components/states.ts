// Loading, empty and error states: each says what is happening and what the reader can do about it.
import { explain } from '../api/client';
import { h } from './dom';

export const loading = (what: string) => h('p', { class: 'state loading', role: 'status', 'aria-live': 'polite' }, `Loading ${what}…`);

export const empty = (message: string, hint?: string) =>
  h('div', { class: 'state empty', role: 'status' }, h('p', {}, message), hint ? h('p', { class: 'hint' }, hint) : null);

export const failure = (error: unknown, retry?: () => void) =>
  h(
    'div',
    { class: 'state error', role: 'alert', 'data-testid': 'error' },
    h('p', {}, explain(error)),
    retry ? h('button', { type: 'button', onclick: () => retry() }, 'Try again') : null,
  );

export const staleBanner = () =>
  h('p', { class: 'state stale', role: 'status' }, 'Storage is unavailable: these figures are the last good answer and may be old.');
