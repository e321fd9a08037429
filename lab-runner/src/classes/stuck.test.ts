import { describe, expect, it } from 'vitest';
import { stuckVerdict } from './stuck.ts';

const policy = { noProgressMs: 600_000, failures: 5, activeWithinMs: 900_000 };
const now = 10_000_000;

describe('stuckVerdict', () => {
  it('flags repeated failures on one task', () => {
    expect(
      stuckVerdict(
        { lastProgressAt: now - 60_000, lastActivityAt: now, failuresOnTask: 5, labDone: false },
        now,
        policy,
      ),
    ).toEqual({
      stuck: true,
      why: '5 failed checks on this task',
    });
  });

  it('flags a long time without progress while still active', () => {
    expect(
      stuckVerdict(
        {
          lastProgressAt: now - 720_000,
          lastActivityAt: now - 5_000,
          failuresOnTask: 1,
          labDone: false,
        },
        now,
        policy,
      ),
    ).toEqual({
      stuck: true,
      why: 'no progress for 12 min',
    });
  });

  it('leaves alone learners who progress, finished, or went away', () => {
    expect(
      stuckVerdict(
        { lastProgressAt: now - 60_000, lastActivityAt: now, failuresOnTask: 2, labDone: false },
        now,
        policy,
      ).stuck,
    ).toBe(false);
    expect(
      stuckVerdict(
        { lastProgressAt: now - 9e6, lastActivityAt: now, failuresOnTask: 9, labDone: true },
        now,
        policy,
      ).stuck,
    ).toBe(false);
    expect(
      stuckVerdict(
        { lastProgressAt: now - 9e6, lastActivityAt: now - 1e6, failuresOnTask: 9, labDone: false },
        now,
        policy,
      ).stuck,
    ).toBe(false);
  });
});
