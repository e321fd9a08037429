import { describe, expect, it } from 'vitest';
import {
  attemptsText,
  helpTitle,
  lastActiveText,
  stuckLines,
  timeOnTaskText,
} from './row-facts.ts';
import { row } from './test-fixtures.ts';

const NOW = Date.parse('2026-11-23T10:30:00.000Z');

describe('what the pages say about a learner', () => {
  it('says why a learner needs help, and the last failing check when there is one', () => {
    expect(stuckLines(row({ learnerId: 'a' }))).toBeNull();
    expect(
      stuckLines(row({ learnerId: 'a', stuck: { why: '12 min on task', reason: null } })),
    ).toEqual({ title: 'Needs help: 12 min on task', reason: null });
    expect(
      stuckLines(
        row({ learnerId: 'a', stuck: { why: '5 failed checks', reason: 'port 8080 closed' } }),
      )?.reason,
    ).toBe('Last check: port 8080 closed');
  });

  it('counts checks and help, and shows a dash between tasks', () => {
    expect(attemptsText(row({ learnerId: 'a', attemptsOnTask: 3 }))).toBe('—');
    const on = row({
      learnerId: 'a',
      attemptsOnTask: 3,
      current: { labId: 'first', taskId: 'a', since: '2026-11-23T10:20:00.000Z' },
    });
    expect(attemptsText(on)).toBe('3');
    expect(helpTitle(row({ learnerId: 'a', hints: 1, solutions: 2 }))).toBe(
      '1 hint and 2 solutions opened',
    );
  });

  it('keeps time on task and idleness moving with the clock, corrected for skew', () => {
    const on = row({
      learnerId: 'a',
      current: { labId: 'first', taskId: 'a', since: '2026-11-23T10:20:00.000Z' },
      lastActivity: '2026-11-23T10:29:00.000Z',
    });
    expect(timeOnTaskText(on, 0, NOW)).toBe('10 min 00 s');
    expect(timeOnTaskText(on, 30_000, NOW)).toBe('10 min 30 s');
    expect(timeOnTaskText(row({ learnerId: 'a' }), 0, NOW)).toBe('—');
    expect(lastActiveText(on, 0, NOW)).toBe('1 min ago');
    expect(lastActiveText(row({ learnerId: 'a' }), 0, NOW)).toBe('never');
  });
});
