/**
 * When a ready sandbox is stopped, as a pure decision. Two clocks run against it:
 * - idle: `idleMs` after the last activity (terminal input, a finished command, work in the
 *   sandbox, the learner pressing "Keep working"), so any activity extends it;
 * - lifetime: `lifetimeMs` after the sandbox became ready, the hard limit nothing extends.
 * The learner is warned `warnMs` before whichever comes first. A sandbox just handed out is
 * never stopped: its idle clock starts when it becomes ready.
 */
export interface IdleSettings {
  idleMs: number;
  warnMs: number;
  lifetimeMs: number;
}

export interface IdleClock {
  now: number;
  readyAt: number;
  lastActivityAt: number;
}

export type IdleReason = 'idle' | 'lifetime';

export type IdleDecision =
  | { action: 'keep' }
  | { action: 'warn'; reason: IdleReason; stopAt: number }
  | { action: 'stop'; reason: IdleReason };

export function decideIdle(clock: IdleClock, s: IdleSettings): IdleDecision {
  const idleAt = Math.max(clock.lastActivityAt, clock.readyAt) + s.idleMs;
  const lifetimeAt = clock.readyAt + s.lifetimeMs;
  const [stopAt, reason]: [number, IdleReason] =
    lifetimeAt <= idleAt ? [lifetimeAt, 'lifetime'] : [idleAt, 'idle'];
  if (clock.now >= stopAt) return { action: 'stop', reason };
  if (clock.now >= stopAt - s.warnMs) return { action: 'warn', reason, stopAt };
  return { action: 'keep' };
}

/**
 * Work in the sandbox counts as activity when its processes used more than `threshold` of a
 * core between two samples. An idle inner engine uses well under 1%, but the platform's own
 * checks (a few `docker` calls every few seconds while a page is open) use 5-10%; a build, a
 * compose up or a busy container uses far more. Containers that run but do nothing do not
 * count: every lab ends with some running, and they would keep every sandbox alive to its
 * hard limit.
 */
export function busy(
  previous: { cpuNanos: number; at: number } | undefined,
  current: { cpuNanos: number; at: number },
  threshold = 0.25,
): boolean {
  if (!previous || current.at <= previous.at || current.cpuNanos < previous.cpuNanos) return false;
  const share = (current.cpuNanos - previous.cpuNanos) / 1e6 / (current.at - previous.at);
  return share > threshold;
}
