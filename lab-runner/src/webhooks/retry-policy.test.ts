import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  decideAfterAttempt,
  parseRetryAfter,
  pauseReason,
  retryDelay,
} from './retry-policy.ts';

const policy = DEFAULT_RETRY_POLICY;

describe('retry back-off', () => {
  it('grows by the factor from the base, half fixed and half jitter', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, policy, 0))).toEqual([
      2_500, 10_000, 40_000, 160_000,
    ]);
    expect([1, 2, 3, 4].map((n) => retryDelay(n, policy, 0.999_999))).toEqual([
      5_000, 20_000, 80_000, 320_000,
    ]);
    const some = retryDelay(3, policy, 0.5);
    expect(some).toBeGreaterThan(40_000);
    expect(some).toBeLessThan(80_000);
  });

  it('never waits longer than the cap, nor for nothing', () => {
    expect(retryDelay(30, policy, 0.999)).toBeLessThanOrEqual(policy.capMs);
    expect(retryDelay(30, policy, 0)).toBe(policy.capMs / 2);
    expect(retryDelay(1, { ...policy, baseMs: 100 }, 0)).toBe(50);
  });

  it('spreads many deliveries retried at once', () => {
    const delays = Array.from({ length: 50 }, (_, i) => retryDelay(2, policy, i / 50));
    expect(new Set(delays).size).toBe(50);
  });
});

describe('after an attempt', () => {
  it('a 2xx is delivered; anything else is retried until the last attempt, then failed', () => {
    expect(decideAfterAttempt(1, { status: 204 }, policy, 0)).toEqual({ kind: 'delivered' });
    expect(decideAfterAttempt(1, { status: 500 }, policy, 0)).toEqual({
      kind: 'retry',
      delayMs: 2_500,
    });
    for (const outcome of [{}, { status: 302 }, { status: 404 }, { status: 429 }])
      expect(decideAfterAttempt(2, outcome, policy, 0).kind).toBe('retry');
    expect(decideAfterAttempt(policy.maxAttempts, { status: 500 }, policy, 0)).toEqual({
      kind: 'failed',
    });
  });

  it('410 Gone fails at once; a Retry-After is honoured up to the cap', () => {
    expect(decideAfterAttempt(1, { status: 410 }, policy, 0)).toEqual({ kind: 'failed' });
    expect(decideAfterAttempt(1, { status: 503, retryAfterMs: 60_000 }, policy, 0)).toEqual({
      kind: 'retry',
      delayMs: 60_000,
    });
    expect(decideAfterAttempt(1, { status: 503, retryAfterMs: 1_000 }, policy, 0)).toEqual({
      kind: 'retry',
      delayMs: 2_500,
    });
    expect(
      decideAfterAttempt(1, { status: 429, retryAfterMs: 10 * 86_400_000 }, policy, 0),
    ).toEqual({ kind: 'retry', delayMs: policy.capMs });
  });

  it('pauses an endpoint that said Gone or failed pauseAfter times in a row', () => {
    expect(pauseReason(1, { status: 410 }, policy)).toBe('the endpoint answered 410 Gone');
    expect(pauseReason(policy.pauseAfter - 1, {}, policy)).toBeUndefined();
    expect(pauseReason(policy.pauseAfter, {}, policy)).toBe('20 attempts in a row failed');
    expect(pauseReason(policy.pauseAfter, { status: 200 }, policy)).toBeUndefined();
  });

  it('reads Retry-After as seconds or as a date', () => {
    const now = Date.UTC(2026, 0, 1, 12);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
