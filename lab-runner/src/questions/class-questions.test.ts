import { describe, expect, it } from 'vitest';
import {
  learnerAnswers,
  learnerQuestions,
  questionCounts,
  questionCsvColumns,
} from './class-questions.ts';
import type { QuestionOutline } from './course-questions.ts';
import type { QuestionState } from './question-store.ts';

const outline: QuestionOutline[] = ['one', 'two', 'three'].map((id) => ({
  id,
  module: 'm',
  lessonId: 'm/l',
  lessonTitle: 'Lesson',
  kind: 'choice',
  prompt: `Prompt ${id}`,
}));
const state = (questionId: string, correctAt: string | null, attempts = 1): QuestionState => ({
  questionId,
  attempts,
  correctAt,
  last: { questionId, choice: 0, answer: 'A', correct: correctAt !== null, at: 'x' },
});

describe('class questions', () => {
  const ann = learnerQuestions(
    outline,
    new Map([
      ['one', state('one', '2026-12-07T10:00:00.000Z', 2)],
      ['two', state('two', null)],
      ['elsewhere', state('elsewhere', '2026-12-07T09:00:00.000Z')],
    ]),
  );
  const bob = learnerQuestions(
    outline,
    new Map([['one', state('one', '2026-12-07T11:00:00.000Z')]]),
  );

  it('counts a learner’s right answers among the class’s questions only', () => {
    expect(ann).toEqual({
      correct: 1,
      total: 3,
      cells: {
        one: { attempts: 2, correctAt: '2026-12-07T10:00:00.000Z' },
        two: { attempts: 1, correctAt: null },
      },
    });
  });

  it('counts, per question, the learners who got it right', () => {
    expect(questionCounts([{ questions: ann }, { questions: bob }], outline)).toEqual({
      one: 2,
      two: 0,
      three: 0,
    });
  });

  it('gives the CSV a count and one column per question', () => {
    const cols = questionCsvColumns(outline);
    expect(cols.header).toEqual([
      'questions_correct',
      'question:one',
      'question:two',
      'question:three',
    ]);
    expect(cols.cells(ann)).toEqual(['1', '2026-12-07T10:00:00.000Z', '', '']);
  });

  it('lists a learner’s answers under each question', () => {
    const list = learnerAnswers(outline, [
      { questionId: 'two', choice: 1, answer: 'B', correct: false, at: 't1' },
      { questionId: 'elsewhere', choice: 0, answer: 'A', correct: true, at: 't0' },
    ]);
    expect(list.map((q) => [q.id, q.answers])).toEqual([
      ['one', []],
      ['two', [{ answer: 'B', correct: false, at: 't1' }]],
      ['three', []],
    ]);
  });
});
