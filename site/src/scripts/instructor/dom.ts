/** Small DOM helpers shared by the instructor and join pages. */
import { type ApiFailure, asFailure } from './api.ts';

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined>;

/**
 * An element: `h('a', { href, class: 'x', 'data-testid': 'y' }, 'text', child)`. Attributes
 * set to false, null or undefined are left out; true sets an empty attribute.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

/** Sets text only when it changed (keeps selections and avoids needless layout). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function setAttr(el: Element, name: string, value: string | null): void {
  if (value === null) el.removeAttribute(name);
  else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

export function required<T extends Element = HTMLElement>(
  selector: string,
  root: ParentNode = document,
): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`the page is missing ${selector}`);
  return el;
}

/** Copies text; works on plain http too, where the clipboard API is not available. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Fall through to the old way.
  }
  const area = h('textarea', { readonly: true, 'aria-hidden': 'true' });
  area.value = text;
  area.style.cssText = 'position:fixed;top:0;left:0;opacity:0;pointer-events:none';
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/** A copy button: "Copy" → "Copied" for a moment (or "Press Ctrl+C" when copying failed). */
export function copyButton(label: string, text: () => string, testid: string): HTMLButtonElement {
  const button = h(
    'button',
    { type: 'button', class: 'sw-button sw-button--quiet sw-copy', 'data-testid': testid },
    label,
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  button.addEventListener('click', async () => {
    const ok = await copyText(text());
    button.textContent = ok ? 'Copied' : 'Select and copy it';
    button.dataset.copied = String(ok);
    clearTimeout(timer);
    timer = setTimeout(() => {
      button.textContent = label;
      delete button.dataset.copied;
    }, 1800);
  });
  return button;
}

const problemTitles: Record<ApiFailure['kind'], string> = {
  offline: 'The lab service is not answering',
  'signed-out': 'You are not logged in',
  'not-found': 'Not found',
  throttled: 'Too many attempts',
  invalid: 'That did not work',
  server: 'Something went wrong',
};

/**
 * A panel that says what went wrong in plain words, with a Retry button when trying again
 * can help. `[data-testid=problem]`, `data-kind` = the failure's kind.
 */
export function problemPanel(
  err: unknown,
  opts: { title?: string; hint?: string; retry?: () => void; actions?: Child[] } = {},
): HTMLElement {
  const f = asFailure(err);
  const title = opts.title ?? problemTitles[f.kind];
  const hint = opts.hint ?? f.hint;
  const same = (a: string, b: string) => a.replace(/[.!]+$/, '') === b.replace(/[.!]+$/, '');
  const panel = h(
    'section',
    { class: 'sw-problem', 'data-testid': 'problem', 'data-kind': f.kind, role: 'alert' },
    h(
      'div',
      { class: 'sw-problem-icon', 'aria-hidden': 'true' },
      f.kind === 'offline' ? '⚡' : '!',
    ),
    h(
      'div',
      { class: 'sw-problem-body' },
      h('h2', { class: 'sw-problem-title' }, title),
      same(title, f.message) ? null : h('p', { class: 'sw-problem-message' }, f.message),
      hint ? h('p', { class: 'sw-problem-hint' }, hint) : null,
    ),
  );
  const actions = h('div', { class: 'sw-problem-actions' });
  if (opts.retry) {
    const retry = opts.retry;
    const b = h(
      'button',
      { type: 'button', class: 'sw-button sw-button--primary', 'data-testid': 'problem-retry' },
      'Retry',
    );
    b.addEventListener('click', () => {
      b.disabled = true;
      b.textContent = 'Trying…';
      retry();
    });
    actions.append(b);
  }
  append(actions, ...(opts.actions ?? []));
  if (actions.childElementCount > 0) panel.querySelector('.sw-problem-body')!.append(actions);
  return panel;
}

/** A link back to the login page that returns here afterwards. */
export function loginUrl(here: Pick<Location, 'pathname' | 'search'> = location): string {
  return `/instructor/?next=${encodeURIComponent(here.pathname + here.search)}`;
}

/** Where to go after logging in: only pages of the instructor area, never another site. */
export function safeNext(search: string): string | undefined {
  const next = new URLSearchParams(search).get('next');
  return next && /^\/instructor\/[\w\-/]*(\?[\w\-=&%.]*)?$/.test(next) ? next : undefined;
}

/** Replaces the page's main heading (Starlight's `#_top`) and the document title. */
export function setHeading(text: string, suffix = 'Slipway'): void {
  const h1 = document.getElementById('_top');
  if (h1) h1.textContent = text;
  document.title = `${text} | ${suffix}`;
}
