// Log in: the token is sent once to /api/v1/session, which answers with an HttpOnly cookie. The token is never
// stored by the page, so page scripts (and anything injected into them) cannot read it later.
import { ApiError, explain } from '../api/client';
import { login } from '../api/nines';
import { h } from '../components/dom';

export function renderLogin(root: HTMLElement, _next: string, done: () => void): void {
  document.title = 'Log in · Nines';
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false', 'aria-describedby': 'token-help' });
  const message = h('p', { class: 'form-error', role: 'alert', 'aria-live': 'assertive' });
  const button = h('button', { type: 'submit' }, 'Log in');
  const form = h(
    'form',
    {
      class: 'login',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        message.textContent = '';
        button.setAttribute('disabled', '');
        try {
          await login(input.value.trim());
          input.value = '';
          done();
        } catch (e) {
          message.textContent =
            e instanceof ApiError && e.status === 401
              ? 'This token is not valid (revoked, mistyped, or from another installation). Check it and try again.'
              : explain(e);
          input.focus();
        } finally {
          button.removeAttribute('disabled');
        }
      },
    },
    h('h1', {}, 'Log in to Nines'),
    h('label', { for: 'token' }, 'API token'),
    input,
    h(
      'p',
      { id: 'token-help', class: 'hint' },
      'Paste a token. Locally, ./nines up writes the admin token to .nines/admin.token; ',
      'an admin creates others with ./nines token create --team=T --role=viewer.',
    ),
    message,
    button,
  );
  root.replaceChildren(form);
  input.focus();
}
