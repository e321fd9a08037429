/** The dashboard's API tokens: list, make one (shown once), revoke. */

import { api, paths } from './api.ts';
import { copyButton, h } from './dom.ts';
import { errorLine } from './error-line.ts';
import {
  type ApiTokenInfo,
  type CreatedToken,
  curlExample,
  labelProblem,
  MAX_LABEL,
  OPENAPI_PATH,
  tokenLine,
} from './tokens-view.ts';

export interface PanelOptions {
  /** The session ended: the page goes back to its login form. */
  signedOut: () => void;
}

/** Fills `root` with the panel; `load()` (re)reads the instructor's tokens. */
export function tokensPanel(root: HTMLElement, opts: PanelOptions): { load(): Promise<void> } {
  let tokens: ApiTokenInfo[] = [];
  const list = h('ul', { class: 'sw-int-list', 'data-testid': 'token-list' });
  const empty = h('p', { class: 'sw-empty' }, 'No tokens yet.');
  const { el: error, say, failed } = errorLine('token-error', () => opts.signedOut());
  const created = h('div', {});
  const label = h('input', {
    class: 'sw-input',
    name: 'label',
    maxlength: MAX_LABEL,
    placeholder: 'e.g. grades sync',
    autocomplete: 'off',
    'aria-label': 'Token name',
    'data-testid': 'token-label',
  });
  const submit = h(
    'button',
    { type: 'submit', class: 'sw-button sw-button--primary', 'data-testid': 'token-create' },
    'Make a token',
  );
  const form = h('form', { class: 'sw-int-form', novalidate: true }, label, submit);

  function render(): void {
    const now = Date.now();
    list.replaceChildren(
      ...tokens.map((t) => {
        const line = tokenLine(t, now);
        const revoke = h(
          'button',
          {
            type: 'button',
            class: 'sw-button sw-button--quiet',
            'data-testid': `token-revoke-${t.id}`,
          },
          'Revoke',
        );
        revoke.addEventListener('click', () => void remove(t, revoke));
        return h(
          'li',
          { class: 'sw-int-item', 'data-token': t.id },
          h(
            'div',
            { class: 'sw-int-main' },
            h('strong', {}, line.label),
            h('code', {}, line.prefix),
            h('span', { class: 'sw-muted' }, `${line.created}, ${line.used}`),
          ),
          revoke,
        );
      }),
    );
    empty.hidden = tokens.length > 0;
  }

  function reveal(t: CreatedToken): void {
    const curl = curlExample(location.origin, t.token);
    created.replaceChildren(
      h(
        'div',
        { class: 'sw-created', 'data-testid': 'token-created' },
        h('p', { class: 'sw-kicker' }, `Token “${t.label}”`),
        h(
          'p',
          { class: 'sw-created-help' },
          'Copy it now: it is shown this once. Anyone with it can read your classes’ progress.',
        ),
        h(
          'div',
          { class: 'sw-code-row' },
          h('code', { class: 'sw-int-secret', 'data-testid': 'token-value' }, t.token),
          copyButton('Copy', () => t.token, 'token-copy'),
        ),
        h('pre', { class: 'sw-command sw-int-curl' }, h('code', {}, curl)),
        h(
          'p',
          { class: 'sw-note-small' },
          'The API is described by its ',
          h('a', { href: OPENAPI_PATH }, 'OpenAPI document'),
          '.',
        ),
      ),
    );
  }

  async function remove(t: ApiTokenInfo, button: HTMLButtonElement): Promise<void> {
    if (!confirm(`Revoke the token “${t.label}”? Whatever uses it stops working at once.`)) return;
    button.disabled = true;
    say('');
    try {
      await api(paths.token(t.id), { method: 'DELETE' });
      tokens = tokens.filter((x) => x.id !== t.id);
      render();
    } catch (err) {
      button.disabled = false;
      failed(err);
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const problem = labelProblem(label.value);
    say(problem ?? '');
    if (problem) {
      label.focus();
      return;
    }
    submit.disabled = true;
    try {
      const t = await api<CreatedToken>(paths.tokens, {
        method: 'POST',
        body: { label: label.value.trim() },
      });
      const { token: _, ...info } = t;
      tokens = [info, ...tokens];
      render();
      reveal(t);
      form.reset();
    } catch (err) {
      failed(err);
    } finally {
      submit.disabled = false;
    }
  });

  root.replaceChildren(
    h(
      'p',
      { class: 'sw-field-help' },
      'A token lets a script or your LMS read your classes’ progress through the read API (',
      h('a', { href: OPENAPI_PATH }, 'OpenAPI'),
      ').',
    ),
    form,
    error,
    created,
    list,
    empty,
  );
  return {
    async load() {
      created.replaceChildren();
      say('');
      try {
        tokens = (await api<{ tokens: ApiTokenInfo[] }>(paths.tokens)).tokens;
        render();
      } catch (err) {
        failed(err);
      }
    },
  };
}
