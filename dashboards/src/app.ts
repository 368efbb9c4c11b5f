// The shell: a router over location.pathname, the header with the shared controls, auto-refresh, and the
// redirect to the login page whenever the session is gone.
import { setUnauthenticatedListener } from './api/client';
import { logout, session } from './api/nines';
import type { Session } from './api/types';
import { disposeCharts } from './components/charts';
import { controls } from './components/controls';
import { h } from './components/dom';
import { knownTeams } from './pages/teams';
import { formatState, parseState, REFRESH_MS, type ViewState } from './state/url';

export interface PageContext {
  state: ViewState;
  params: Record<string, string>;
  root: HTMLElement;
  /** False on auto-refresh, so pages can skip the loading placeholder and swap content in place. */
  firstRender: boolean;
  update: (change: Partial<ViewState>, options?: { replace?: boolean }) => void;
  navigate: (href: string) => void;
  /** Aborted when the user navigates away, so late answers never paint over the next page. */
  signal: AbortSignal;
}

export interface PageDef {
  title: string;
  pattern: RegExp;
  showRange: boolean;
  render: (ctx: PageContext) => Promise<void>;
}

let user: Session | null = null;

export function startApp(pages: PageDef[], renderLogin: (root: HTMLElement, next: string, done: () => void) => void): void {
  const header = document.getElementById('top') as HTMLElement;
  const main = document.getElementById('main') as HTMLElement;
  let controller = new AbortController();
  let timer: number | undefined;
  let lastPath = '';

  const navigate = (href: string, replace = false) => {
    if (replace) history.replaceState(null, '', href);
    else history.pushState(null, '', href);
    void route();
  };

  const toLogin = () => {
    if (location.pathname === '/login') return;
    const next = location.pathname + location.search;
    navigate(`/login?next=${encodeURIComponent(next)}`, true);
  };
  setUnauthenticatedListener(toLogin);

  async function route(): Promise<void> {
    // Page markers (data-overview, ...) belong to the page that set them; tools waiting on them must not see
    // the previous view's.
    delete document.body.dataset.overview;
    controller.abort();
    controller = new AbortController();
    window.clearInterval(timer);
    disposeCharts();
    const path = location.pathname;
    if (path === '/login') {
      header.replaceChildren(h('div', { class: 'brand' }, 'Nines'));
      const next = new URLSearchParams(location.search).get('next') ?? '/';
      renderLogin(main, next.startsWith('/') && !next.startsWith('//') ? next : '/', () => {
        user = null;
        navigate(next.startsWith('/') && !next.startsWith('//') ? next : '/', true);
      });
      return;
    }
    if (!user) {
      try {
        user = await session();
      } catch (e) {
        // A 401 already went to the login page; other failures show on the page itself below.
        if (location.pathname === '/login') return;
        user = null;
      }
    }
    const match = pages.map((p) => ({ p, m: p.pattern.exec(path) })).find((x) => x.m);
    const state = parseState(location.search);
    const update = (change: Partial<ViewState>, options: { replace?: boolean } = {}) =>
      navigate(location.pathname + formatState({ ...state, ...change }), options.replace ?? false);
    header.replaceChildren(
      h(
        'div',
        { class: 'topbar' },
        h('a', { class: 'brand', href: '/' + carry(state) }, 'Nines'),
        h(
          'nav',
          { 'aria-label': 'Pages' },
          ...[
            ['/', 'SLO overview'],
            ['/latency', 'Latency'],
            ['/alerts', 'Alerts'],
          ].map(([href, label]) =>
            h('a', { href: href + carry(state), ...(isCurrent(href as string, path) ? { 'aria-current': 'page' } : {}) }, label as string),
          ),
        ),
        h(
          'div',
          { class: 'who' },
          user ? `${user.name || user.tokenId} · ${user.team} · ${user.role}` : '',
          h('button', { type: 'button', class: 'link', onclick: async () => { try { await logout(); } finally { user = null; toLogin(); } } }, 'Log out'),
        ),
      ),
      controls({ state, teams: await knownTeams().catch(() => []), showRange: match?.p.showRange ?? false, update }),
    );
    if (!match) {
      main.replaceChildren(h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '/' }, 'Go to the SLO overview')));
      return;
    }
    document.title = `${match.p.title} · Nines`;
    const params = (match.m as RegExpExecArray).groups ?? {};
    const decoded = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, decodeURIComponent(v)]));
    const signal = controller.signal;
    const render = (firstRender: boolean) =>
      match.p.render({ state, params: decoded, root: main, firstRender, update, navigate, signal }).catch((e) => {
        if (!signal.aborted) console.error(e);
      });
    if (path !== lastPath) main.focus({ preventScroll: true });
    lastPath = path;
    await render(true);
    const every = REFRESH_MS[state.refresh];
    if (every > 0 && !signal.aborted) timer = window.setInterval(() => void render(false), every);
  }

  // Same-origin links navigate inside the app; modifier clicks keep their usual meaning (new tab, ...).
  document.addEventListener('click', (event) => {
    const anchor = (event.target as Element).closest('a');
    if (!anchor || anchor.target || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/openapi')) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
  window.addEventListener('popstate', () => void route());
  void route();
}

/** Links between pages keep the shared state (range, refresh, team) but not page-specific filters. */
export function carry(state: ViewState): string {
  return formatState({ ...state, service: '', search: '', operation: '' });
}

function isCurrent(href: string, path: string): boolean {
  return href === '/' ? path === '/' || path.startsWith('/slos/') : path.startsWith(href);
}
