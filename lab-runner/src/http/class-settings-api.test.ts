/**
 * Whether joining a class needs a sign-in, over HTTP against the real runner and a real SQLite
 * file, on a site where learners cannot sign in (no identity provider): a class there cannot
 * ask for one. The signed-in path, with a real provider, is in test/integration/oidc.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EnginelessPlatform, startEngineless } from '../../test/engineless-platform.ts';

let runner: EnginelessPlatform;
const errorOf = async (r: Response) =>
  ((await r.json()) as { error: { code: string; message: string } }).error;

beforeAll(async () => {
  runner = await startEngineless({
    name: 'class-settings',
    lessons: { '01-basics/01-intro.mdx': '---\ntitle: Intro\n---\n\nText.\n' },
    instructors: { wanda: 'wanda-password-1', otto: 'otto-password-12' },
  });
}, 60_000);
afterAll(() => runner?.close());

describe('a class asking for a sign-in, where learners cannot sign in', () => {
  it('refuses to make such a class, and says why', async () => {
    const wanda = await runner.login('wanda', 'wanda-password-1');
    const res = await runner.call('POST', '/api/instructor/classes', wanda, {
      name: 'Closed',
      modules: ['basics'],
      requireSignIn: true,
    });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({
      code: 'CLASS_SIGN_IN_UNAVAILABLE',
      message: 'Learners cannot sign in on this site, so a class cannot ask them to.',
    });
  });

  it('keeps an open class open, and lets only its instructor change the setting', async () => {
    const wanda = await runner.login('wanda', 'wanda-password-1');
    const made = (await (
      await runner.call('POST', '/api/instructor/classes', wanda, {
        name: 'Open',
        modules: ['basics'],
      })
    ).json()) as { id: string; joinCode: string; requireSignIn: boolean };
    expect(made.requireSignIn).toBe(false);
    const settings = `/api/instructor/classes/${made.id}/settings`;

    const turnOn = await runner.call('POST', settings, wanda, { requireSignIn: true });
    expect((await errorOf(turnOn)).code).toBe('CLASS_SIGN_IN_UNAVAILABLE');
    const otto = await runner.login('otto', 'otto-password-12');
    const foreign = await runner.call('POST', settings, otto, { requireSignIn: false });
    expect(foreign.status).toBe(404);
    const malformed = await runner.call('POST', settings, wanda, { requireSignIn: 'yes' });
    expect(malformed.status).toBe(400);

    const lookup = await runner.call('GET', `/api/join/${made.joinCode}`);
    expect(await lookup.json()).toEqual({ name: 'Open', requireSignIn: false });
    const joined = await runner.call('POST', '/api/join', '', {
      code: made.joinCode,
      displayName: 'Anon',
    });
    expect(joined.status).toBe(200);
  });
});
