import { describe, expect, it } from 'vitest';
import { pollDue, pollStretch } from './poll-policy.ts';

const interval = 4000;

describe('background check polls', () => {
  it('run every interval while the learner is active', () => {
    expect(
      pollDue({ now: 10_000, lastCheckAt: 6_000, lastActivityAt: 9_000, intervalMs: interval }),
    ).toBe(true);
    // A tick that arrives a few milliseconds early still counts.
    expect(
      pollDue({ now: 10_000, lastCheckAt: 6_050, lastActivityAt: 9_000, intervalMs: interval }),
    ).toBe(true);
  });

  it('skip a tick that follows a check run for Enter or Check', () => {
    expect(
      pollDue({ now: 10_000, lastCheckAt: 9_000, lastActivityAt: 9_000, intervalMs: interval }),
    ).toBe(false);
  });

  it('space out for a learner who has stopped typing, up to eight times', () => {
    expect(pollStretch(10_000)).toBe(1);
    expect(pollStretch(60_000)).toBe(3);
    expect(pollStretch(600_000)).toBe(8);
    const quiet = { lastActivityAt: 0, intervalMs: interval };
    expect(pollDue({ ...quiet, now: 200_000, lastCheckAt: 184_000 })).toBe(false);
    expect(pollDue({ ...quiet, now: 200_000, lastCheckAt: 168_000 })).toBe(true);
  });
});
