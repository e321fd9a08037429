/**
 * When an open lab re-runs its unfinished checks by itself. Checks also run when the learner
 * presses Enter or Check, so a poll right after one of those is wasted; and a learner who has
 * not typed for a while changes little, so their polls are spaced out (up to 8×: 32 s by
 * default). Polls are most of a class's check load (a page open on an idle sandbox costs about
 * a tenth of a core at the 4 s interval here); the Check button always runs at once.
 */
export interface PollClock {
  now: number;
  /** When the last round of checks started, for any reason. */
  lastCheckAt: number;
  /** The last activity: terminal input, a finished command, work in the sandbox. */
  lastActivityAt: number;
  intervalMs: number;
}

/** A tick of the poll timer may come a little early; this much early still counts. */
const EARLY_TICK = 0.1;

export function pollStretch(quietMs: number): number {
  if (quietMs < 30_000) return 1;
  if (quietMs < 120_000) return 3;
  return 8;
}

export function pollDue(c: PollClock): boolean {
  const wait = c.intervalMs * pollStretch(c.now - c.lastActivityAt);
  return c.now - c.lastCheckAt >= wait - c.intervalMs * EARLY_TICK;
}
