import { describe, expect, it } from 'vitest';
import { labScore } from './score.ts';

describe('labScore', () => {
  it('counts tasks passed and questions answered right, out of both', () => {
    expect(
      labScore({
        tasks: ['a', 'b'],
        tasksDone: new Set(['a', 'x']),
        questions: ['q1'],
        questionsRight: new Set(['q1']),
      }),
    ).toEqual({ given: 2, maximum: 3, activity: 'InProgress', grading: 'FullyGraded' });
  });

  it('is Completed once everything is done', () => {
    expect(
      labScore({
        tasks: ['a'],
        tasksDone: new Set(['a']),
        questions: [],
        questionsRight: new Set(),
      }).activity,
    ).toBe('Completed');
  });

  it('never calls an empty lab completed', () => {
    expect(
      labScore({ tasks: [], tasksDone: new Set(), questions: [], questionsRight: new Set() }),
    ).toMatchObject({ given: 0, maximum: 0, activity: 'InProgress' });
  });
});
