/**
 * /instructor/: login, the instructor's classes, the "new class" form, and the panels for API
 * tokens and webhooks (tokens-panel.ts, webhooks-panel.ts).
 */

import { fetchAuthStatus, signInHref } from '../sign-in/sign-in.ts';
import { api, asFailure, isFailure, pages, paths } from './api.ts';
import { copyButton, h, problemPanel, required, safeNext } from './dom.ts';
import { dateTime, plural } from './format.ts';
import { tokensPanel } from './tokens-panel.ts';
import type { ClassSummary, CreatedClass, ModuleOutline } from './types.ts';
import { webhooksPanel } from './webhooks-panel.ts';

const root = required('[data-dashboard]');
const loading = required('[data-loading]', root);
const problem = required('[data-dash-problem]', root);
const loginView = required('[data-view="login"]', root);
const dashView = required('[data-view="dashboard"]', root);
const loginForm = required<HTMLFormElement>('[data-login-form]', root);
const username = required<HTMLInputElement>('[data-testid="login-username"]', root);
const password = required<HTMLInputElement>('[data-testid="login-password"]', root);
const loginSubmit = required<HTMLButtonElement>('[data-testid="login-submit"]', root);
const loginError = required('[data-testid="login-error"]', root);
const whoami = required('[data-testid="whoami"]', root);
const classList = required('[data-testid="class-list"]', root);
const classesEmpty = required('[data-classes-empty]', root);
const newForm = required<HTMLFormElement>('[data-new-class-form]', root);
const newName = required<HTMLInputElement>('[data-testid="new-class-name"]', root);
const moduleList = required('[data-module-list]', root);
const newError = required('[data-testid="new-class-error"]', root);
const newSubmit = required<HTMLButtonElement>('[data-testid="new-class-submit"]', root);
const created = required('[data-created]', root);
/** Shown only where learners can sign in: a class cannot ask for a sign-in nobody can give. */
const requireSignIn = required('[data-require-sign-in]', root);
const sso = required('[data-sso]', root);
const tokens = tokensPanel(required('[data-tokens-panel]', root), { signedOut: () => signedOut() });
const webhooks = webhooksPanel(required('[data-webhooks-panel]', root), {
  signedOut: () => signedOut(),
});

let course: ModuleOutline[] = [];
let classes: ClassSummary[] = [];
let throttleTimer: ReturnType<typeof setInterval> | undefined;

function show(view: 'login' | 'dashboard' | 'none'): void {
  loading.hidden = true;
  loginView.hidden = view !== 'login';
  dashView.hidden = view !== 'dashboard';
}

function say(el: HTMLElement, text: string): void {
  el.textContent = text;
  el.hidden = text === '';
}

function showProblem(err: unknown): void {
  show('none');
  problem.replaceChildren(
    problemPanel(err, {
      retry: () => {
        problem.replaceChildren();
        loading.hidden = false;
        void start();
      },
    }),
  );
}

/** The session ended while the page was open: back to the login form, saying why. */
function signedOut(message = 'Your instructor session ended. Log in again.'): void {
  show('login');
  say(loginError, message);
  username.focus();
}

/** "Sign in with <provider>" above the password form, when the runner offers it. */
async function offerSignIn(): Promise<void> {
  const status = await fetchAuthStatus();
  const href = status && signInHref(status, 'instructor', safeNext(location.search) ?? pages.home);
  if (!status?.sso || !href) return;
  required('[data-sso-name]', sso).textContent = status.sso.name;
  required<HTMLAnchorElement>('a', sso).href = href;
  sso.hidden = false;
}

async function start(): Promise<void> {
  problem.replaceChildren();
  try {
    const me = await api<{ username: string }>(paths.me);
    await enter(me.username);
  } catch (err) {
    if (isFailure(err, 'signed-out')) {
      show('login');
      username.focus();
      void offerSignIn();
    } else showProblem(err);
  }
}

async function enter(name: string): Promise<void> {
  whoami.textContent = name;
  const [c, list] = await Promise.all([
    api<{ modules: ModuleOutline[] }>(paths.course),
    api<{ classes: ClassSummary[] }>(paths.classes),
  ]);
  course = c.modules;
  classes = list.classes;
  renderModules();
  renderClasses();
  void tokens.load();
  void offerClassSignIn();
  show('dashboard');
}

/** "Learners must sign in to join" on the new-class form, where learners can sign in. */
async function offerClassSignIn(): Promise<void> {
  const status = await fetchAuthStatus();
  if (!status?.sso || status.sso.learners === 'off') return;
  required('[data-require-sign-in-name]', requireSignIn).textContent = status.sso.name;
  requireSignIn.hidden = false;
}

function moduleTitle(slug: string): string {
  return course.find((m) => m.slug === slug)?.title ?? slug;
}

function renderClasses(): void {
  classList.replaceChildren(
    ...classes.map((c) =>
      h(
        'li',
        { class: 'sw-class-card', 'data-class': c.id },
        h(
          'div',
          { class: 'sw-class-main' },
          h(
            'a',
            {
              class: 'sw-class-name',
              href: pages.class(c.id),
              'data-testid': `class-link-${c.id}`,
            },
            c.name,
          ),
          h(
            'p',
            { class: 'sw-class-meta' },
            h('span', {}, plural(c.members, 'learner')),
            h('span', {}, c.modules.map(moduleTitle).join(', ')),
            h('span', {}, `created ${dateTime(c.createdAt)}`),
          ),
        ),
        h(
          'div',
          { class: 'sw-class-code' },
          h('span', { class: 'sw-class-code-label' }, 'Join code'),
          h('code', {}, c.joinCode),
        ),
      ),
    ),
  );
  classesEmpty.hidden = classes.length > 0;
  webhooks.show(classes);
}

function renderModules(): void {
  if (course.length === 0) {
    moduleList.replaceChildren(
      h('p', { class: 'sw-muted' }, 'The course has no modules yet, so there is nothing to teach.'),
    );
    return;
  }
  moduleList.replaceChildren(
    ...course.map((m) => {
      const tasks = m.labs.reduce((n, l) => n + l.tasks.length, 0);
      const box = h('input', {
        type: 'checkbox',
        name: 'modules',
        value: m.slug,
        'data-testid': `new-class-module-${m.slug}`,
      });
      if (course.length === 1) box.checked = true;
      return h(
        'label',
        { class: 'sw-module' },
        box,
        h(
          'span',
          { class: 'sw-module-text' },
          h('strong', {}, m.title),
          h(
            'span',
            { class: 'sw-muted' },
            m.labs.length === 0
              ? 'No labs (reading only)'
              : `${plural(m.labs.length, 'lab')}, ${plural(tasks, 'task')}: ${m.labs.map((l) => l.title).join(', ')}`,
          ),
        ),
      );
    }),
  );
}

function renderCreated(c: CreatedClass): void {
  const link = pages.join(location.origin, c.joinCode);
  const linkInput = h('input', {
    class: 'sw-input sw-input--link',
    readonly: true,
    value: link,
    'aria-label': 'Join link',
    'data-testid': 'class-join-link',
  });
  linkInput.addEventListener('focus', () => linkInput.select());
  const close = h(
    'button',
    { type: 'button', class: 'sw-created-close', 'aria-label': 'Close' },
    '×',
  );
  close.addEventListener('click', () => created.replaceChildren());
  const panel = h(
    'div',
    { class: 'sw-created', 'data-testid': 'class-created', tabindex: '-1' },
    close,
    h('p', { class: 'sw-kicker' }, 'Class created'),
    h('h3', { class: 'sw-created-name' }, c.name),
    h(
      'p',
      { class: 'sw-created-help' },
      'Give your learners the join code or the link. They join with a display name, no e-mail needed.',
    ),
    h(
      'div',
      { class: 'sw-code-row' },
      h('code', { class: 'sw-join-code', 'data-testid': 'class-join-code' }, c.joinCode),
      copyButton('Copy code', () => c.joinCode, 'copy-join-code'),
    ),
    h(
      'div',
      { class: 'sw-link-row' },
      linkInput,
      copyButton('Copy link', () => link, 'copy-join-link'),
    ),
    h(
      'a',
      {
        class: 'sw-button sw-button--primary',
        href: pages.class(c.id),
        'data-testid': 'created-class-open',
      },
      'Open the class view →',
    ),
  );
  created.replaceChildren(panel);
  panel.focus();
}

async function login(e: SubmitEvent): Promise<void> {
  e.preventDefault();
  say(loginError, '');
  const user = username.value.trim();
  if (!user || !password.value) {
    say(loginError, 'Type your username and your password.');
    (user ? password : username).focus();
    return;
  }
  loginSubmit.disabled = true;
  loginSubmit.textContent = 'Logging in…';
  try {
    const me = await api<{ username: string }>(paths.login, {
      method: 'POST',
      body: { username: user, password: password.value },
    });
    password.value = '';
    const next = safeNext(location.search);
    if (next) {
      location.assign(next);
      return;
    }
    await enter(me.username);
  } catch (err) {
    const f = asFailure(err);
    say(loginError, f.kind === 'offline' ? `${f.message} ${f.hint}` : f.message);
    if (f.kind === 'throttled' && f.retryAfter) {
      wait(f.retryAfter);
      return;
    }
    password.select();
  } finally {
    if (!throttleTimer) {
      loginSubmit.disabled = false;
      loginSubmit.textContent = 'Log in';
    }
  }
}

/** After too many failed logins the button waits as long as the runner said. */
function wait(seconds: number): void {
  const until = Date.now() + seconds * 1000;
  loginSubmit.disabled = true;
  const tick = () => {
    const left = Math.ceil((until - Date.now()) / 1000);
    if (left <= 0) {
      clearInterval(throttleTimer);
      throttleTimer = undefined;
      loginSubmit.disabled = false;
      loginSubmit.textContent = 'Log in';
      return;
    }
    const m = Math.floor(left / 60);
    loginSubmit.textContent = `Wait ${m}:${String(left % 60).padStart(2, '0')}`;
  };
  clearInterval(throttleTimer);
  throttleTimer = setInterval(tick, 1000);
  tick();
}

async function createClass(e: SubmitEvent): Promise<void> {
  e.preventDefault();
  say(newError, '');
  const name = newName.value.trim();
  const modules = [
    ...moduleList.querySelectorAll<HTMLInputElement>('input[name="modules"]:checked'),
  ].map((b) => b.value);
  if (name.length < 2) {
    say(newError, 'Give the class a name of at least 2 characters.');
    newName.focus();
    return;
  }
  if (modules.length === 0) {
    say(newError, 'Pick at least one module.');
    return;
  }
  newSubmit.disabled = true;
  newSubmit.textContent = 'Creating…';
  try {
    const mustSignIn =
      !requireSignIn.hidden && required<HTMLInputElement>('input', requireSignIn).checked;
    const c = await api<CreatedClass>(paths.classes, {
      method: 'POST',
      body: { name, modules, ...(mustSignIn ? { requireSignIn: true } : {}) },
    });
    classes = [
      { ...c, createdAt: new Date().toISOString(), members: 0 },
      ...classes.filter((x) => x.id !== c.id),
    ];
    renderClasses();
    renderCreated(c);
    newForm.reset();
    renderModules();
    void api<{ classes: ClassSummary[] }>(paths.classes)
      .then((list) => {
        classes = list.classes;
        renderClasses();
      })
      .catch(() => {});
  } catch (err) {
    const f = asFailure(err);
    if (f.kind === 'signed-out') signedOut();
    else say(newError, f.kind === 'offline' ? `${f.message} ${f.hint}` : f.message);
  } finally {
    newSubmit.disabled = false;
    newSubmit.textContent = 'Create the class';
  }
}

async function logout(): Promise<void> {
  try {
    await api(paths.logout, { method: 'POST' });
  } catch (err) {
    // Already logged out is what we wanted; anything else is worth saying.
    if (!isFailure(err, 'signed-out')) {
      problem.replaceChildren(problemPanel(err, { title: 'Could not log out' }));
      return;
    }
  }
  classes = [];
  created.replaceChildren();
  classList.replaceChildren();
  say(loginError, '');
  show('login');
  username.focus();
}

loginForm.addEventListener('submit', (e) => void login(e));
newForm.addEventListener('submit', (e) => void createClass(e));
required('[data-testid="logout"]', root).addEventListener('click', () => void logout());
void start();
