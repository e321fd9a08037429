/**
 * Login rate limiting, as a pure function: after `maxFailures` failed logins for one username
 * (or from one address) within `windowMs`, further attempts wait until the oldest failure in the
 * window expires.
 */
export interface LoginPolicy {
  maxFailures: number;
  windowMs: number;
}

/** Per username: a handful of tries. */
export const DEFAULT_LOGIN_POLICY: LoginPolicy = { maxFailures: 5, windowMs: 15 * 60_000 };
/** Per address: more, since a whole classroom may share one address behind NAT. */
export const ADDRESS_LOGIN_POLICY: LoginPolicy = { maxFailures: 20, windowMs: 15 * 60_000 };

export function loginAllowed(
  failures: readonly number[],
  now: number,
  policy: LoginPolicy = DEFAULT_LOGIN_POLICY,
): { allowed: true } | { allowed: false; retryAfterMs: number } {
  const recent = failures.filter((t) => now - t < policy.windowMs).sort((a, b) => a - b);
  if (recent.length < policy.maxFailures) return { allowed: true };
  const oldestCounted = recent[recent.length - policy.maxFailures]!;
  return { allowed: false, retryAfterMs: oldestCounted + policy.windowMs - now };
}

/** Remembers failures per key (username, address) in memory, pruned as it goes. */
export class FailureLog {
  private readonly byKey = new Map<string, number[]>();
  private readonly windowMs: number;

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  get(key: string, now: number): number[] {
    const kept = (this.byKey.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length === 0) this.byKey.delete(key);
    else this.byKey.set(key, kept);
    return kept;
  }

  add(key: string, now: number): void {
    this.byKey.set(key, [...this.get(key, now), now]);
  }

  clear(key: string): void {
    this.byKey.delete(key);
  }
}
