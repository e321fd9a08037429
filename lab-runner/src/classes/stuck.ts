/**
 * Stuck detection, as a pure policy: a learner still at work who has made no progress for
 * `noProgressMs`, or whose own checks on one task failed `failures` times, needs a look.
 */
export interface StuckPolicy {
  noProgressMs: number;
  failures: number;
  /** Activity older than this means the learner left; nobody is stuck while away. */
  activeWithinMs: number;
}

export const DEFAULT_STUCK_POLICY: StuckPolicy = {
  noProgressMs: 10 * 60_000,
  failures: 5,
  activeWithinMs: 15 * 60_000,
};

export interface StuckInput {
  /** Last completion in the current lab, or when the learner started it. */
  lastProgressAt: number | undefined;
  lastActivityAt: number | undefined;
  /** Failed checks the learner triggered (command or click) on the current task. */
  failuresOnTask: number;
  labDone: boolean;
}

export type StuckVerdict = { stuck: false } | { stuck: true; why: string };

const minutes = (ms: number) => `${Math.max(1, Math.round(ms / 60_000))} min`;

export function stuckVerdict(
  s: StuckInput,
  now: number,
  policy: StuckPolicy = DEFAULT_STUCK_POLICY,
): StuckVerdict {
  if (s.labDone || s.lastActivityAt === undefined) return { stuck: false };
  if (now - s.lastActivityAt > policy.activeWithinMs) return { stuck: false };
  if (s.failuresOnTask >= policy.failures)
    return { stuck: true, why: `${s.failuresOnTask} failed checks on this task` };
  if (s.lastProgressAt !== undefined && now - s.lastProgressAt >= policy.noProgressMs) {
    return { stuck: true, why: `no progress for ${minutes(now - s.lastProgressAt)}` };
  }
  return { stuck: false };
}
