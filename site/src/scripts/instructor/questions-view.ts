/**
 * Questions in the instructor's views: a column and a panel on the class page, a list on the
 * learner page. The text is worked out by pure functions (tested); the render functions only
 * put it on the page.
 */
import { renderInline } from '../../build/inline-markdown.ts';
import { h } from './dom.ts';
import { dateTime, plural } from './format.ts';
import type { ClassView, LearnerDetail, RosterRow } from './types.ts';

/** The class matrix's cell: "2 of 5", or a dash when the class has no questions. */
export function questionsCell(row: RosterRow): string {
  return row.questions.total === 0 ? '—' : `${row.questions.correct} of ${row.questions.total}`;
}

export interface QuestionLine {
  id: string;
  prompt: string;
  lessonTitle: string;
  /** Members who answered it correctly. */
  right: number;
  /** Members who answered it at all. */
  tried: number;
  members: number;
}

/** Per question: how many learners got it right, and how many tried. */
export function questionLines(view: ClassView): QuestionLine[] {
  return view.questions.map((q) => ({
    id: q.id,
    prompt: q.prompt,
    lessonTitle: q.lessonTitle,
    // From the rows, which `row` events keep current between snapshots.
    right: view.rows.filter((r) => (r.questions.cells[q.id]?.correctAt ?? null) !== null).length,
    tried: view.rows.filter((r) => r.questions.cells[q.id]).length,
    members: view.rows.length,
  }));
}

export function lineText(l: QuestionLine): string {
  return `${l.right} of ${l.members} right${l.tried > l.right ? `, ${l.tried - l.right} not yet` : ''}`;
}

/** A prompt as the lesson shows it: inline Markdown (`code`), escaped by renderInline. */
function promptEl(markdown: string): HTMLElement {
  const el = h('span', { class: 'sw-question-prompt' });
  el.innerHTML = renderInline(markdown);
  return el;
}

export function renderClassQuestions(list: HTMLElement, view: ClassView): void {
  const lines = questionLines(view);
  list.replaceChildren(
    ...(lines.length === 0
      ? [h('li', { class: 'sw-muted' }, 'The modules of this class have no questions.')]
      : lines.map((l) =>
          h(
            'li',
            { class: 'sw-question', 'data-testid': `question-${l.id}` },
            promptEl(l.prompt),
            h('span', { class: 'sw-muted' }, ` (${l.lessonTitle}): `),
            h('strong', { 'data-testid': `question-count-${l.id}` }, lineText(l)),
          ),
        )),
  );
}

/** One question on the learner page: the prompt, then each answer with a mark. */
export function answerLines(q: LearnerDetail['questions'][number]): string[] {
  if (q.answers.length === 0) return ['Not answered yet.'];
  return q.answers.map(
    (a) => `${a.correct ? '✓ right' : '✗ wrong'}: “${a.answer}” (${dateTime(a.at)})`,
  );
}

export function renderLearnerQuestions(
  list: HTMLElement,
  questions: LearnerDetail['questions'],
): void {
  const right = questions.filter((q) => q.answers.some((a) => a.correct)).length;
  list.replaceChildren(
    h(
      'p',
      { class: 'sw-muted', 'data-testid': 'learner-questions-summary' },
      `${right} of ${plural(questions.length, 'question')} answered correctly.`,
    ),
    h(
      'ol',
      { class: 'sw-question-list' },
      ...questions.map((q) =>
        h(
          'li',
          {
            class: 'sw-question',
            'data-testid': `learner-question-${q.id}`,
            'data-state': q.answers.some((a) => a.correct)
              ? 'done'
              : q.answers.length
                ? 'failing'
                : 'untried',
          },
          promptEl(q.prompt),
          h('ul', {}, ...answerLines(q).map((t) => h('li', {}, t))),
        ),
      ),
    ),
  );
}
