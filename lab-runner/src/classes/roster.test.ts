import { describe, expect, it } from 'vitest';
import type { LearnerActivity } from '../progress/activity-store.ts';
import { completionCounts, type LabOutline, rosterRow } from './roster.ts';

const labs: LabOutline[] = [
  {
    id: 'lab',
    title: 'Lab',
    tasks: [
      { id: 'a', title: 'A' },
      { id: 'b', title: 'B' },
      { id: 'c', title: 'C' },
    ],
  },
];
const member = { learnerId: 'L1', displayName: 'Ada', joinedAt: '2026-01-01T09:00:00.000Z' };
const now = Date.parse('2026-01-01T10:30:00.000Z');
const none: LearnerActivity = { completions: [], attempts: [], events: [], lastCommandAt: null };

describe('rosterRow', () => {
  it('shows an untouched learner as untried everywhere, not stuck', () => {
    const row = rosterRow(member, labs, none, () => 'none', now);
    expect(row.cells.lab).toEqual({
      a: { state: 'untried', attempts: 0 },
      b: { state: 'untried', attempts: 0 },
      c: { state: 'untried', attempts: 0 },
    });
    expect(row.current).toBeNull();
    expect(row.stuck).toBeNull();
  });

  it('marks a done task whose latest check failed after its completion, and only then', () => {
    const attempt = (taskId: string, lastAt: string, lastPassed: boolean) => ({
      labId: 'lab',
      taskId,
      total: 2,
      userTotal: 2,
      userFailures: 1,
      firstAt: '2026-01-01T10:00:00.000Z',
      lastAt,
      lastPassed,
      lastReason: lastPassed ? null : 'There is no container named "web" yet.',
    });
    const a: LearnerActivity = {
      ...none,
      completions: [
        { labId: 'lab', taskId: 'a', completedAt: '2026-01-01T10:10:00.000Z' },
        { labId: 'lab', taskId: 'b', completedAt: '2026-01-01T10:10:00.000Z' },
      ],
      attempts: [
        attempt('a', '2026-01-01T10:20:00.000Z', false),
        attempt('b', '2026-01-01T10:20:00.000Z', true),
      ],
    };
    const row = rosterRow(member, labs, a, () => 'none', now);
    expect(row.cells.lab!.a).toEqual({
      state: 'done',
      attempts: 2,
      completedAt: '2026-01-01T10:10:00.000Z',
      regression: 'There is no container named "web" yet.',
    });
    expect(row.cells.lab!.b).not.toHaveProperty('regression');
  });

  it('places the learner on their first unfinished task and counts their time there', () => {
    const a: LearnerActivity = {
      completions: [{ labId: 'lab', taskId: 'a', completedAt: '2026-01-01T10:20:00.000Z' }],
      attempts: [
        {
          labId: 'lab',
          taskId: 'a',
          total: 3,
          userTotal: 2,
          userFailures: 1,
          firstAt: '2026-01-01T10:00:00.000Z',
          lastAt: '2026-01-01T10:20:00.000Z',
          lastPassed: true,
          lastReason: null,
        },
        {
          labId: 'lab',
          taskId: 'b',
          total: 6,
          userTotal: 4,
          userFailures: 2,
          firstAt: '2026-01-01T10:00:00.000Z',
          lastAt: '2026-01-01T10:29:00.000Z',
          lastPassed: false,
          lastReason: 'no volume',
        },
        {
          labId: 'lab',
          taskId: 'c',
          total: 6,
          userTotal: 3,
          userFailures: 3,
          firstAt: '2026-01-01T10:00:00.000Z',
          lastAt: '2026-01-01T10:29:00.000Z',
          lastPassed: false,
          lastReason: 'no network',
        },
      ],
      events: [{ labId: 'lab', taskId: 'b', kind: 'hint', at: '2026-01-01T10:25:00.000Z' }],
      lastCommandAt: '2026-01-01T10:29:30.000Z',
    };
    const row = rosterRow(member, labs, a, () => 'ready', now);
    expect(row.cells.lab!.a).toEqual({
      state: 'done',
      attempts: 2,
      completedAt: '2026-01-01T10:20:00.000Z',
    });
    expect(row.cells.lab!.b).toEqual({ state: 'failing', attempts: 4, reason: 'no volume' });
    // Task c comes after the current one: checks after commands do not make it "tried".
    expect(row.cells.lab!.c).toEqual({ state: 'untried', attempts: 3 });
    expect(row.current).toEqual({ labId: 'lab', taskId: 'b', since: '2026-01-01T10:20:00.000Z' });
    expect(row.timeOnTaskMs).toBe(10 * 60_000);
    expect(row.attemptsOnTask).toBe(4);
    expect(row.hints).toBe(1);
    expect(row.lastActivity).toBe('2026-01-01T10:29:30.000Z');
    expect(row.sandbox).toBe('ready');
    // Ten minutes without progress while active: stuck, with the failing check's reason.
    expect(row.stuck).toEqual({ why: 'no progress for 10 min', reason: 'no volume' });
  });

  it('counts completions per task across the class', () => {
    const done: LearnerActivity = {
      ...none,
      completions: [{ labId: 'lab', taskId: 'a', completedAt: '2026-01-01T10:00:00.000Z' }],
    };
    const rows = [
      rosterRow(member, labs, done, () => 'none', now),
      rosterRow({ ...member, learnerId: 'L2' }, labs, none, () => 'none', now),
    ];
    expect(completionCounts(rows, labs)).toEqual({ lab: { a: 1, b: 0, c: 0 } });
  });
});
