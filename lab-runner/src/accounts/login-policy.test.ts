import { describe, expect, it } from 'vitest';
import { FailureLog, loginAllowed } from './login-policy.ts';

const policy = { maxFailures: 3, windowMs: 60_000 };

describe('loginAllowed', () => {
  it('allows until the limit, then asks to wait until the oldest failure expires', () => {
    expect(loginAllowed([1000, 2000], 3000, policy)).toEqual({ allowed: true });
    expect(loginAllowed([1000, 2000, 3000], 4000, policy)).toEqual({
      allowed: false,
      retryAfterMs: 57_000,
    });
    expect(loginAllowed([1000, 2000, 3000], 61_001, policy)).toEqual({ allowed: true });
  });
});

describe('FailureLog', () => {
  it('forgets failures outside the window and on success', () => {
    const log = new FailureLog(60_000);
    log.add('alice', 0);
    log.add('alice', 30_000);
    expect(log.get('alice', 70_000)).toEqual([30_000]);
    log.clear('alice');
    expect(log.get('alice', 70_000)).toEqual([]);
  });
});
