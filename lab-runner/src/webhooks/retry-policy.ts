/**
 * What happens after one delivery attempt, as a pure policy: delivered on a 2xx; otherwise
 * another attempt after an exponential back-off with jitter, until `maxAttempts`, then failed.
 * A `410 Gone` says the receiver wants no more: the endpoint is paused at once. An endpoint
 * whose attempts failed `pauseAfter` times in a row, across its deliveries, is paused too.
 */
export interface RetryPolicy {
  maxAttempts: number;
  /** Wait before the second attempt; each later wait is `factor` times the one before. */
  baseMs: number;
  factor: number;
  /** No wait is longer than this, whatever the attempt or a Retry-After asks. */
  capMs: number;
  pauseAfter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseMs: 5_000,
  factor: 4,
  capMs: 6 * 3_600_000,
  pauseAfter: 20,
};

export interface AttemptOutcome {
  /** The HTTP status, or undefined when no response came (refused, reset, timed out). */
  status?: number;
  /** A Retry-After the receiver sent, in ms. */
  retryAfterMs?: number;
}

export type Decision =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'failed' };

/**
 * The wait before attempt `attempt + 1`, after `attempt` failed ones: "equal jitter", half the
 * exponential step fixed and half random, so retries of many deliveries spread out but never
 * collapse to no wait. `random` is in [0, 1).
 */
export function retryDelay(attempt: number, policy: RetryPolicy, random: number): number {
  const step = Math.min(policy.capMs, policy.baseMs * policy.factor ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * random);
}

export const delivered = (status: number | undefined) =>
  status !== undefined && status >= 200 && status < 300;

/** After attempt number `attempt` (1 for the first) of this round of a delivery. */
export function decideAfterAttempt(
  attempt: number,
  outcome: AttemptOutcome,
  policy: RetryPolicy,
  random: number,
): Decision {
  if (delivered(outcome.status)) return { kind: 'delivered' };
  if (outcome.status === 410 || attempt >= policy.maxAttempts) return { kind: 'failed' };
  const backoff = retryDelay(attempt, policy, random);
  const asked = outcome.retryAfterMs ?? 0;
  return { kind: 'retry', delayMs: Math.min(policy.capMs, Math.max(backoff, asked)) };
}

/** Whether an endpoint should be paused after an attempt: it said Gone, or fails on and on. */
export function pauseReason(
  failuresInARow: number,
  outcome: AttemptOutcome,
  policy: RetryPolicy,
): string | undefined {
  if (outcome.status === 410) return 'the endpoint answered 410 Gone';
  if (!delivered(outcome.status) && failuresInARow >= policy.pauseAfter)
    return `${failuresInARow} attempts in a row failed`;
  return undefined;
}

/** A Retry-After header (seconds, or an HTTP date) in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
