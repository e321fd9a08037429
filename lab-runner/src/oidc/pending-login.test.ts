import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PENDING_COOKIE, PendingLogins, sameState } from './pending-login.ts';

const logins = new PendingLogins(randomBytes(32));
const pending = {
  state: 'st-1',
  nonce: 'n-1',
  verifier: 'v-1',
  role: 'learner' as const,
  returnTo: '/join/?code=ABCD2345',
  expiresAt: 1_700_000_600_000,
};

describe('PendingLogins', () => {
  it('reads back what it sealed', () => {
    expect(logins.open(logins.seal(pending))).toEqual(pending);
  });

  it('refuses a tampered value, another key’s and malformed ones', () => {
    const sealed = logins.seal(pending);
    const [body, mac] = sealed.split('.');
    const changed = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(body!, 'base64url').toString()),
        r: 'instructor',
      }),
    ).toString('base64url');
    expect(logins.open(`${changed}.${mac}`)).toBeUndefined();
    expect(new PendingLogins(randomBytes(32)).open(sealed)).toBeUndefined();
    for (const bad of [undefined, '', '.', 'abc', `${body}.`, `.${mac}`, 'x'.repeat(5000)])
      expect(logins.open(bad)).toBeUndefined();
  });

  it('is a cookie for the sign-in routes only, HttpOnly and Lax, cleared with an empty value', () => {
    const set = logins.header('v', true);
    expect(set).toBe(
      `${PENDING_COOKIE}=v; Path=/auth/oidc/; HttpOnly; SameSite=Lax; Max-Age=600; Secure`,
    );
    expect(logins.header(undefined, false)).toContain('Max-Age=0');
  });

  it('compares states exactly', () => {
    expect(sameState('abc', 'abc')).toBe(true);
    expect(sameState('abc', 'abd')).toBe(false);
    expect(sameState('abc', 'abcd')).toBe(false);
  });
});
