/**
 * Questions in lessons (components/Question.astro): shows the learner's earlier answers, sends
 * a new one to the runner (which grades it) and shows what it says. Without the runner the
 * questions can still be read; answering says plainly that it could not be checked.
 */
import { renderInline } from '../../build/inline-markdown.ts';
import {
  type FeedbackView,
  feedbackView,
  type QuestionStatus,
  unreachableMessage,
} from './feedback.ts';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const forms = [...document.querySelectorAll<HTMLFormElement>('form[data-question]')];

function show(form: HTMLFormElement, view: FeedbackView): void {
  form.dataset.state = view.result;
  const box = form.querySelector<HTMLElement>('[data-feedback]')!;
  for (const li of form.querySelectorAll<HTMLElement>('[data-option]')) {
    const i = Number(li.dataset.option);
    const mark = li.querySelector<HTMLElement>('[data-mark]')!;
    const explanation = li.querySelector<HTMLElement>('[data-explanation]')!;
    const chosen = view.chosen === i;
    const correct = view.correctChoice === i;
    li.dataset.result = correct ? 'right' : chosen ? 'wrong' : '';
    mark.textContent = correct ? ' — the right answer' : chosen ? ' — your answer' : '';
    explanation.hidden = !chosen;
    explanation.innerHTML = chosen ? renderInline(view.explanation) : '';
    if (chosen) form.querySelector<HTMLInputElement>(`input[value="${i}"]`)!.checked = true;
  }
  const parts = [
    view.earlier ? `<p class="question-earlier">${escapeHtml(view.earlier)}</p>` : '',
    `<p><strong>${view.headline}</strong>${
      view.chosen === undefined ? ` ${renderInline(view.explanation)}` : ''
    }</p>`,
    view.accepted ? `<p>An accepted answer: “${escapeHtml(view.accepted)}”.</p>` : '',
  ];
  box.innerHTML = parts.join('');
}

function showStatus(form: HTMLFormElement, status: QuestionStatus, earlier: boolean): void {
  form.querySelector<HTMLElement>('[data-done]')!.hidden = !status.done;
  form.dataset.done = String(status.done);
  if (earlier && status.last.choice === null) {
    const input = form.querySelector<HTMLInputElement>('input[name="text"]');
    if (input && input.value === '') input.value = status.last.answer;
  }
  show(form, feedbackView(status, earlier));
}

function message(form: HTMLFormElement, text: string): void {
  form.dataset.state = 'problem';
  const box = form.querySelector<HTMLElement>('[data-feedback]')!;
  box.textContent = text;
}

async function answer(form: HTMLFormElement): Promise<void> {
  const id = form.dataset.question!;
  const body: { choice?: number; text?: string } = {};
  if (form.dataset.kind === 'choice') {
    const picked = form.querySelector<HTMLInputElement>('input[name="choice"]:checked');
    if (!picked) return message(form, 'Pick one of the options first.');
    body.choice = Number(picked.value);
  } else {
    const text = form.querySelector<HTMLInputElement>('input[name="text"]')!.value.trim();
    if (text === '') return message(form, 'Type your answer first.');
    body.text = text;
  }
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
  button.disabled = true;
  try {
    const res = await fetch(`/api/questions/${encodeURIComponent(id)}/answer`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json().catch(() => undefined)) as
      | (QuestionStatus & { error?: { message: string; hint: string } })
      | undefined;
    if (!res.ok || !json || json.error) {
      const err = json?.error;
      return message(
        form,
        unreachableMessage(
          json ? res.status : undefined,
          err ? `${err.message} ${err.hint}` : undefined,
        ),
      );
    }
    showStatus(form, json, false);
  } catch {
    message(form, unreachableMessage(undefined));
  } finally {
    button.disabled = false;
  }
}

async function earlierAnswers(): Promise<void> {
  try {
    const res = await fetch('/api/questions', {
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { accept: 'application/json' },
    });
    if (!res.ok) return;
    const { questions } = (await res.json()) as { questions: Record<string, QuestionStatus> };
    for (const form of forms) {
      const status = questions[form.dataset.question!];
      if (status) showStatus(form, status, true);
    }
  } catch {
    // No lab service (a static copy of the site): the questions can still be read.
  }
}

for (const form of forms) {
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void answer(form);
  });
}
if (forms.length > 0) void earlierAnswers();
