import type {
  LearnerAnswers,
  LearnerQuestions,
  QuestionCell,
} from '../protocol/instructor-views.ts';
import type { CourseQuestions, QuestionOutline } from './course-questions.ts';
import type { QuestionAttempt, QuestionState, QuestionStore } from './question-store.ts';

/** What the instructor's views need to show questions. */
export interface ClassQuestionsDeps {
  questions: () => CourseQuestions;
  answers: QuestionStore;
}

export type { LearnerQuestions, QuestionCell } from '../protocol/instructor-views.ts';

export function learnerQuestions(
  outline: readonly QuestionOutline[],
  states: ReadonlyMap<string, QuestionState>,
): LearnerQuestions {
  const cells: Record<string, QuestionCell> = {};
  for (const q of outline) {
    const s = states.get(q.id);
    if (s) cells[q.id] = { attempts: s.attempts, correctAt: s.correctAt };
  }
  return {
    correct: Object.values(cells).filter((c) => c.correctAt !== null).length,
    total: outline.length,
    cells,
  };
}

/** Per question, how many learners answered it correctly. */
export function questionCounts(
  rows: ReadonlyArray<{ questions: LearnerQuestions }>,
  outline: readonly QuestionOutline[],
): Record<string, number> {
  return Object.fromEntries(
    outline.map((q) => [
      q.id,
      rows.filter((r) => (r.questions.cells[q.id]?.correctAt ?? null) !== null).length,
    ]),
  );
}

/** CSV columns: the count, then one per question holding when it was answered correctly. */
export function questionCsvColumns(outline: readonly QuestionOutline[]) {
  return {
    header: ['questions_correct', ...outline.map((q) => `question:${q.id}`)],
    cells: (q: LearnerQuestions) => [
      String(q.correct),
      ...outline.map((o) => q.cells[o.id]?.correctAt ?? ''),
    ],
  };
}

/** The learner page's list: every question of the class with the learner's answers to it. */
export function learnerAnswers(
  outline: readonly QuestionOutline[],
  attempts: readonly QuestionAttempt[],
): LearnerAnswers[] {
  return outline.map((q) => ({
    ...q,
    answers: attempts
      .filter((a) => a.questionId === q.id)
      .map(({ answer, correct, at }) => ({ answer, correct, at })),
  }));
}
