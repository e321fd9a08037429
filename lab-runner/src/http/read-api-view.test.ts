import { describe, expect, it } from 'vitest';
import { type LabOutline, rosterRow } from '../classes/roster.ts';
import { apiLearnerDetailSchema, apiLearnerProgressSchema } from '../protocol/read-api.ts';
import { learnerDetail, learnerProgress } from './read-api-view.ts';

const labs: LabOutline[] = [
  {
    id: 'volumes',
    title: 'Volumes',
    tasks: [
      { id: 'a', title: 'A' },
      { id: 'b', title: 'B' },
      { id: 'c', title: 'C' },
    ],
  },
];
const attempt = (taskId: string, lastAt: string, lastPassed: boolean) => ({
  labId: 'volumes',
  taskId,
  total: 2,
  userTotal: 2,
  userFailures: 1,
  firstAt: '2026-01-01T10:00:00.000Z',
  lastAt,
  lastPassed,
  lastReason: lastPassed ? null : 'The volume "data" is gone.',
});
const row = {
  ...rosterRow(
    { learnerId: 'L1', displayName: 'Ada', joinedAt: '2026-01-01T09:00:00.000Z' },
    labs,
    {
      completions: [
        { labId: 'volumes', taskId: 'a', completedAt: '2026-01-01T10:10:00.000Z' },
        { labId: 'volumes', taskId: 'b', completedAt: '2026-01-01T10:12:00.000Z' },
      ],
      attempts: [
        attempt('a', '2026-01-01T10:20:00.000Z', false),
        attempt('b', '2026-01-01T10:12:00.000Z', true),
        attempt('c', '2026-01-01T10:21:00.000Z', false),
      ],
      events: [],
      lastCommandAt: '2026-01-01T10:22:00.000Z',
    },
    () => 'ready',
    Date.parse('2026-01-01T10:30:00.000Z'),
  ),
  questions: {
    correct: 1,
    total: 3,
    cells: { q1: { attempts: 2, correctAt: 'x' }, q2: { attempts: 1, correctAt: null } },
  },
};

describe('the read API’s view of a learner', () => {
  it('counts tasks passed per lab and names the ones broken again', () => {
    const p = apiLearnerProgressSchema.parse(learnerProgress(row, labs));
    expect(p).toMatchObject({
      learnerId: 'L1',
      lastActivity: '2026-01-01T10:22:00.000Z',
      labs: [{ labId: 'volumes', tasks: 3, passed: 2, brokenAgain: ['a'] }],
      questions: { answered: 2, correct: 1, total: 3 },
      // No progress for 18 minutes while still active: the default stuck rule.
      stuck: true,
    });
  });

  it('gives every task in order with its state, in the detail', () => {
    const d = apiLearnerDetailSchema.parse(learnerDetail(row, labs));
    expect(d.tasks.volumes!.map((t) => [t.taskId, t.state, t.brokenAgain])).toEqual([
      ['a', 'done', true],
      ['b', 'done', false],
      ['c', 'failing', false],
    ]);
    expect(d.questionStates).toEqual([
      { questionId: 'q1', attempts: 2, correctAt: 'x' },
      { questionId: 'q2', attempts: 1, correctAt: null },
    ]);
  });
});
