/** The /join/ page: look the code up, join with a display name, say where the learner is. */
import { ApiFailure, api, asFailure, isFailure } from '../instructor/api.ts';
import { h, problemPanel, required } from '../instructor/dom.ts';
import type { Joined, JoinLookup, LearnerClasses } from '../instructor/types.ts';
import { fetchAuthStatus, signInHref } from '../sign-in/sign-in.ts';
import { codeFromQuery, codeProblem, isCompleteCode, nameProblem, normalizeCode } from './code.ts';

const root = required('[data-join]');
const form = required<HTMLFormElement>('[data-join-form]', root);
const codeInput = required<HTMLInputElement>('[data-testid="join-code"]', root);
const codeStatus = required('[data-testid="join-class"]', root);
const nameInput = required<HTMLInputElement>('[data-testid="join-name"]', root);
const submit = required<HTMLButtonElement>('[data-testid="join-submit"]', root);
const errorLine = required('[data-testid="join-error"]', root);
const done = required('[data-join-done]', root);
const doneText = required('[data-join-done-text]', root);
const problemSlot = required('[data-join-problem]', root);
const mine = required('[data-join-mine]', root);
const mineList = required('[data-join-mine-list]', root);

let lookupSeq = 0;
let lookupTimer: ReturnType<typeof setTimeout> | undefined;

function status(text: string, tone: 'ok' | 'bad' | 'busy' | '' = ''): void {
  codeStatus.textContent = text;
  codeStatus.dataset.tone = tone;
}

function showError(text: string): void {
  errorLine.textContent = text;
  errorLine.hidden = text === '';
}

/** What a learner can do about a runner that does not answer. */
const LEARNER_OFFLINE_HINT =
  'It may be restarting. Press Retry in a moment; if it keeps happening, tell your instructor.';

function showProblem(err: unknown, retry: () => void): void {
  problemSlot.replaceChildren(
    problemPanel(err, {
      hint: LEARNER_OFFLINE_HINT,
      retry: () => {
        problemSlot.replaceChildren();
        retry();
      },
    }),
  );
}

async function lookUp(code: string): Promise<void> {
  const seq = ++lookupSeq;
  status('Looking the code up…', 'busy');
  try {
    const c = await api<JoinLookup>(`/api/join/${encodeURIComponent(code)}`);
    if (seq !== lookupSeq) return;
    status(c.requireSignIn ? `Class: ${c.name} (sign in first to join)` : `Class: ${c.name}`, 'ok');
    codeInput.setAttribute('aria-invalid', 'false');
    problemSlot.replaceChildren();
  } catch (err) {
    if (seq !== lookupSeq) return;
    if (isFailure(err, 'not-found')) {
      status(`No class has the code ${code}. Check it with your instructor.`, 'bad');
      codeInput.setAttribute('aria-invalid', 'true');
    } else if (isFailure(err, 'offline')) {
      status('');
      showProblem(err, () => void lookUp(code));
    } else status(asFailure(err).message, 'bad');
  }
}

function onCodeInput(): void {
  const code = normalizeCode(codeInput.value);
  clearTimeout(lookupTimer);
  codeInput.removeAttribute('aria-invalid');
  showError('');
  if (!isCompleteCode(code)) {
    lookupSeq += 1;
    status(code.length > 8 ? (codeProblem(code) ?? '') : '');
    return;
  }
  lookupTimer = setTimeout(() => void lookUp(code), 150);
}

async function join(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  showError('');
  const code = normalizeCode(codeInput.value);
  const codeWhy = codeProblem(code);
  if (codeWhy) {
    showError(codeWhy);
    codeInput.focus();
    return;
  }
  const nameWhy = nameProblem(nameInput.value);
  if (nameWhy) {
    showError(nameWhy);
    nameInput.focus();
    return;
  }
  submit.disabled = true;
  submit.textContent = 'Joining…';
  try {
    const joined = await api<Joined>('/api/join', {
      method: 'POST',
      body: { code, displayName: nameInput.value.trim() },
    });
    problemSlot.replaceChildren();
    form.hidden = true;
    doneText.replaceChildren(
      'You are in ',
      h('strong', {}, joined.name),
      ' as ',
      h('strong', {}, joined.displayName),
    );
    done.hidden = false;
    done.focus();
    void loadMine();
  } catch (err) {
    const f = asFailure(err);
    if (f.kind === 'offline') showProblem(f, () => form.requestSubmit());
    else if (f.kind === 'not-found') {
      showError(`No class has the code ${code}. Check it with your instructor.`);
      codeInput.focus();
    } else showError(f.hint ? `${f.message} ${f.hint}` : f.message);
  } finally {
    submit.disabled = false;
    submit.textContent = 'Join the class';
  }
}

/** The classes this browser's learner is already in (quietly nothing when that fails). */
async function loadMine(): Promise<void> {
  try {
    const { classes } = await api<LearnerClasses>('/api/me');
    mineList.replaceChildren(
      ...classes.map((c) =>
        h(
          'li',
          {},
          h('strong', {}, c.name),
          h('span', { class: 'sw-muted' }, ` as ${c.displayName}`),
        ),
      ),
    );
    mine.hidden = classes.length === 0;
  } catch (err) {
    if (!(err instanceof ApiFailure)) throw err;
  }
}

/**
 * Where the site offers it, a learner may sign in through the school's provider: what they did
 * in this browser is kept, and they find it again in any browser where they sign in.
 */
async function offerSignIn(): Promise<void> {
  const status = await fetchAuthStatus();
  const href = status && signInHref(status, 'learner', `/join/${location.search}`);
  if (!status?.sso || !href) return;
  const box = required('[data-join-sso]', root);
  const text = required('[data-join-sso-text]', box);
  required('[data-join-sso-name]', box).textContent = status.sso.name;
  required<HTMLAnchorElement>('a', box).href = href;
  if (status.learner.signedIn) {
    required('[data-join-sso-title]', box).textContent = 'Signed in';
    text.textContent = `You are signed in${status.learner.name ? ` as ${status.learner.name}` : ''} with ${status.sso.name}. Your progress is kept with your account: sign in the same way in another browser to find it there.`;
    required('[data-join-sso-action]', box).hidden = true;
  } else
    text.textContent =
      status.sso.learners === 'required'
        ? 'This site asks learners to sign in before they start. What you did in this browser is kept.'
        : 'Optional: sign in to find your progress in any browser. What you did in this browser so far is kept.';
  box.hidden = false;
}

codeInput.addEventListener('input', onCodeInput);
codeInput.addEventListener('blur', () => {
  const code = normalizeCode(codeInput.value);
  if (code !== '' && !isCompleteCode(code)) status(codeProblem(code) ?? '', 'bad');
});
form.addEventListener('submit', (e) => void join(e));
required('[data-join-again]', root).addEventListener('click', () => {
  done.hidden = true;
  form.hidden = false;
  codeInput.value = '';
  status('');
  codeInput.focus();
});

const fromLink = codeFromQuery(location.search);
if (fromLink) {
  codeInput.value = fromLink;
  onCodeInput();
  nameInput.focus();
} else codeInput.focus();
void loadMine();
void offerSignIn();
