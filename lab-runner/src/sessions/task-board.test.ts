import { describe, expect, it } from 'vitest';
import { initialTaskStatuses, statusChanged } from './task-board.ts';

describe('initialTaskStatuses', () => {
  it('marks completed tasks passed for good, others failing with their last reason or pending', () => {
    const statuses = initialTaskStatuses(
      [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
      [{ taskId: 'a', completedAt: '2026-01-01T00:00:00.000Z' }],
      [
        { taskId: 'a', passed: false, reason: 'later failure', at: '2026-01-02T00:00:00.000Z' },
        { taskId: 'b', passed: false, reason: 'no web', at: '2026-01-01T00:00:00.000Z' },
      ],
    );
    expect(statuses).toEqual([
      {
        id: 'a',
        state: 'passed',
        completedAt: '2026-01-01T00:00:00.000Z',
        regression: { reason: 'later failure', checkedAt: '2026-01-02T00:00:00.000Z' },
      },
      { id: 'b', state: 'failing', reason: 'no web', checkedAt: '2026-01-01T00:00:00.000Z' },
      { id: 'c', state: 'pending' },
    ]);
  });
});

describe('initialTaskStatuses after a completed task passes again', () => {
  it('shows no regression once the latest check passes', () => {
    const [a] = initialTaskStatuses(
      [{ id: 'a' }],
      [{ taskId: 'a', completedAt: '2026-01-01T00:00:00.000Z' }],
      [{ taskId: 'a', passed: true, reason: null, at: '2026-01-03T00:00:00.000Z' }],
    );
    expect(a).toEqual({ id: 'a', state: 'passed', completedAt: '2026-01-01T00:00:00.000Z' });
  });
});

describe('statusChanged', () => {
  it('is news when a completed task breaks, or is mended', () => {
    const done = { id: 'x', state: 'passed' as const, completedAt: '2026-01-01T00:00:00.000Z' };
    const broken = {
      ...done,
      regression: { reason: 'gone', checkedAt: '2026-01-01T00:01:00.000Z' },
    };
    expect(statusChanged(done, broken)).toBe(true);
    expect(
      statusChanged(broken, {
        ...broken,
        regression: { ...broken.regression, checkedAt: '2026-01-01T00:02:00.000Z' },
      }),
    ).toBe(false);
    expect(statusChanged(broken, done)).toBe(true);
  });

  it('is news when state or reason changes, not when only the time does', () => {
    const a = {
      id: 'x',
      state: 'failing' as const,
      reason: 'r',
      checkedAt: '2026-01-01T00:00:00.000Z',
    };
    expect(statusChanged(a, { ...a, checkedAt: '2026-01-01T00:00:05.000Z' })).toBe(false);
    expect(statusChanged(a, { ...a, reason: 'other' })).toBe(true);
    expect(statusChanged(a, { id: 'x', state: 'passed' })).toBe(true);
    expect(statusChanged(undefined, a)).toBe(true);
  });
});
