import { describe, expect, it } from 'vitest';
import { answerLines, lineText, questionLines, questionsCell } from './questions-view.ts';
import { row, view } from './test-fixtures.ts';

const q = (id: string) => ({
  id,
  module: 'm',
  lessonId: 'm/l',
  lessonTitle: 'Lesson',
  kind: 'choice' as const,
  prompt: `Prompt ${id}`,
});

describe('questions in the class view', () => {
  it('shows right answers of the class’s questions per learner', () => {
    expect(questionsCell(row({ learnerId: 'a' }))).toBe('—');
    expect(
      questionsCell(row({ learnerId: 'a', questions: { correct: 1, total: 3, cells: {} } })),
    ).toBe('1 of 3');
  });

  it('counts, per question, who got it right and who has not yet', () => {
    const v = {
      ...view([
        row({
          learnerId: 'a',
          questions: {
            correct: 1,
            total: 2,
            cells: { one: { attempts: 2, correctAt: 't' }, two: { attempts: 1, correctAt: null } },
          },
        }),
        row({ learnerId: 'b' }),
      ]),
      questions: [q('one'), q('two')],
      questionCounts: { one: 1, two: 0 },
    };
    const lines = questionLines(v);
    expect(lines.map(lineText)).toEqual(['1 of 2 right', '0 of 2 right, 1 not yet']);
  });

  it('lists a learner’s answers, or says there are none', () => {
    expect(answerLines({ ...q('one'), answers: [] })).toEqual(['Not answered yet.']);
    const lines = answerLines({
      ...q('one'),
      answers: [{ answer: 'A', correct: false, at: '2026-12-07T10:00:00.000Z' }],
    });
    expect(lines[0]).toMatch(/^✗ wrong: “A” \(/);
  });
});
