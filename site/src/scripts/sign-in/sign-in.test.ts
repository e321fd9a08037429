import { describe, expect, it } from 'vitest';
import { type AuthStatus, fetchAuthStatus, isAuthStatus, signInHref } from './sign-in.ts';

const offered: AuthStatus = {
  sso: { name: 'School login', learners: 'optional', login: '/auth/oidc/login' },
  learner: { signedIn: false },
};

describe('signInHref', () => {
  it('sends instructors and learners to the login route with the page to come back to', () => {
    expect(signInHref(offered, 'instructor', '/instructor/')).toBe(
      '/auth/oidc/login?role=instructor&return=%2Finstructor%2F',
    );
    expect(signInHref(offered, 'learner', '/join/?code=ABCD2345')).toBe(
      '/auth/oidc/login?role=learner&return=%2Fjoin%2F%3Fcode%3DABCD2345',
    );
  });

  it('offers nothing where the runner does not', () => {
    expect(signInHref({ ...offered, sso: null }, 'instructor', '/')).toBeUndefined();
    expect(
      signInHref({ ...offered, sso: { ...offered.sso!, learners: 'off' } }, 'learner', '/'),
    ).toBeUndefined();
    expect(
      signInHref({ ...offered, sso: { ...offered.sso!, learners: 'off' } }, 'instructor', '/'),
    ).toBe('/auth/oidc/login?role=instructor&return=%2F');
  });
});

describe('fetchAuthStatus', () => {
  it('reads the runner’s answer and is quiet when there is none', async () => {
    const answer = (status: number, body: unknown) => async () =>
      new Response(JSON.stringify(body), { status });
    expect(await fetchAuthStatus(answer(200, offered) as typeof fetch)).toEqual(offered);
    expect(await fetchAuthStatus(answer(404, {}) as typeof fetch)).toBeUndefined();
    expect(await fetchAuthStatus(answer(200, { sso: 1 }) as typeof fetch)).toBeUndefined();
    expect(
      await fetchAuthStatus((async () => {
        throw new TypeError('offline');
      }) as typeof fetch),
    ).toBeUndefined();
    expect(isAuthStatus(null)).toBe(false);
  });
});
