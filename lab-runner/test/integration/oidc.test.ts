import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { consoleLogger } from '../../src/errors/log.ts';
import { type RunningPlatform, startPlatform } from '../../src/main.ts';
import { Browser } from './browser.ts';
import { newInstance } from './engine.ts';
import { FakeIssuer, s256 } from './fake-issuer.ts';
import { CLIENT_ID, CLIENT_SECRET, TestIdp } from './oidc-idp.ts';

/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider, started here on
 * 127.0.0.1) and the real runner in this process: instructors and learners sign in, learners
 * keep their anonymous progress and find it from a second browser, the instructor groups
 * rule, replays, and the provider rotating its key. Tokens no real provider would mint
 * (expired, wrongly signed, for another audience or another sign-in) come from a tiny issuer
 * of the test's own, through the same library checks. No sandbox is needed: progress is
 * recorded by answering lesson questions, and the runner runs without a Docker engine.
 */
const root = join(import.meta.dirname, '../../..');
// Without it the new key is refused: the library fetched the keys under a minute ago.
const CLOCK_MOVE_MS = 2 * 60_000;
const dirs: string[] = [];

interface Runner {
  platform: RunningPlatform;
  logs: Array<Record<string, unknown>>;
  url: (path: string) => string;
}

async function startRunner(env: Record<string, string>): Promise<Runner> {
  const dataDir = mkdtempSync(join(tmpdir(), 'slipway-oidc-'));
  dirs.push(dataDir);
  const logs: Array<Record<string, unknown>> = [];
  const platform = await startPlatform(
    loadConfig(
      {
        SLIPWAY_PORT: '0',
        SLIPWAY_PREVIEW_PORT: '0',
        SLIPWAY_WARM_POOL: '0',
        SLIPWAY_MAX_SANDBOXES: '1',
        SLIPWAY_DATA_DIR: dataDir,
        SLIPWAY_INSTANCE: newInstance('oidc'),
        // Nothing here needs sandboxes: no engine at all.
        SLIPWAY_DOCKER_SOCKET: join(dataDir, 'no-engine.sock'),
        SLIPWAY_SITE_DIR: join(dataDir, 'site'),
        SLIPWAY_OIDC_CLIENT_ID: CLIENT_ID,
        SLIPWAY_OIDC_CLIENT_SECRET: CLIENT_SECRET,
        SLIPWAY_OIDC_SCOPES: 'openid profile groups',
        SLIPWAY_OIDC_INSTRUCTOR_GROUPS: 'staff',
        SLIPWAY_OIDC_LEARNERS: 'optional',
        ...env,
      },
      root,
    ),
    consoleLogger('lab-runner', (line) => logs.push(JSON.parse(line))),
  );
  return { platform, logs, url: (p) => `${platform.url}${p}` };
}

const login = (r: Runner, role: string, back: string) =>
  r.url(`/auth/oidc/login?role=${role}&return=${encodeURIComponent(back)}`);

/** The error a refusal page names (data-error-code) and its status. */
async function refusal(res: Response): Promise<{ status: number; code: string; text: string }> {
  const html = await res.text();
  return {
    status: res.status,
    code: /data-error-code="([A-Z_]+)"/.exec(html)?.[1] ?? '',
    text: html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '),
  };
}

const answer = (b: Browser, r: Runner, question: string) =>
  b.api(r.url(`/api/questions/${question}/answer`), { json: { choice: 0 } });

const answered = async (b: Browser, r: Runner) =>
  Object.keys(
    (await b.api<{ questions: Record<string, { done: boolean }> }>(r.url('/api/questions'))).body
      .questions,
  ).sort();

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('single sign-on with a real OpenID Connect provider', () => {
  const idp = new TestIdp({
    ivan: { name: 'Ivan Instructor', preferred_username: 'ivan', groups: ['staff'] },
    lena: { name: 'Lena Learner', preferred_username: 'lena', groups: ['students'] },
    mia: { name: 'Mia Member', preferred_username: 'mia', groups: ['students'] },
  });
  let runner: Runner;

  beforeAll(async () => {
    await idp.listen();
    runner = await startRunner({ SLIPWAY_OIDC_ISSUER: idp.issuer, SLIPWAY_OIDC_NAME: 'Test IdP' });
    await idp.start(runner.url('/auth/oidc/callback'));
  });
  afterAll(async () => {
    await runner?.platform.close();
    await idp.close();
  });

  it('tells pages that sign-in is offered, and by whom', async () => {
    expect((await new Browser().api(runner.url('/api/auth'))).body).toEqual({
      sso: { name: 'Test IdP', learners: 'optional', login: '/auth/oidc/login' },
      learner: { signedIn: false },
    });
  });

  it('signs an instructor in with the same session a password login gives', async () => {
    const b = new Browser();
    expect((await b.api(runner.url('/api/instructor/me'))).status).toBe(401);
    const start = await b.request(login(runner, 'instructor', '/instructor/'));
    expect(start.status).toBe(302);
    const auth = new URL(start.headers.get('location')!);
    expect(auth.origin).toBe(idp.issuer);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('redirect_uri')).toBe(runner.url('/auth/oidc/callback'));
    for (const p of ['state', 'nonce', 'code_challenge'])
      expect(auth.searchParams.get(p)?.length, p).toBeGreaterThanOrEqual(32);

    const back = await b.request(await idp.walk(b, auth.href, 'ivan'));
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/instructor/');
    expect(b.cookies().has('slipway_instructor')).toBe(true);
    expect(b.cookies().has('slipway_oidc')).toBe(false);
    expect((await b.api(runner.url('/api/instructor/me'))).body).toEqual({ username: 'ivan' });
    const course = await b.api<{ modules: Array<{ slug: string }> }>(
      runner.url('/api/instructor/course'),
    );
    const made = await b.api<{ joinCode: string }>(runner.url('/api/instructor/classes'), {
      json: { name: 'Friday', modules: [course.body.modules[0]!.slug] },
    });
    expect(made.status).toBe(201);

    // The second time is the same account, not a new one.
    const again = new Browser();
    const url = await idp.walk(again, login(runner, 'instructor', '/instructor/'), 'ivan');
    expect((await again.request(url)).status).toBe(303);
    expect((await again.api(runner.url('/api/instructor/me'))).body).toEqual({ username: 'ivan' });
    expect(
      (await again.api<{ classes: unknown[] }>(runner.url('/api/instructor/classes'))).body.classes,
    ).toHaveLength(1);
  });

  it('refuses a member of no instructor group as an instructor, and says why', async () => {
    const b = new Browser();
    const res = await b.request(
      await idp.walk(b, login(runner, 'instructor', '/instructor/'), 'lena'),
    );
    const page = await refusal(res);
    expect(page).toMatchObject({ status: 403, code: 'NOT_AN_INSTRUCTOR' });
    expect(page.text).toContain(
      'Your account at Test IdP is not in a group that may teach on this site.',
    );
    expect(b.cookies().has('slipway_instructor')).toBe(false);
    expect((await b.api(runner.url('/api/instructor/me'))).status).toBe(401);
    expect(runner.logs).toContainEqual(
      expect.objectContaining({
        msg: 'sign-in as an instructor refused: not in an instructor group',
        groups: ['students'],
      }),
    );
  });

  it('keeps a learner’s anonymous progress at sign-in, and shows it on every browser', async () => {
    // Browser A answers a question anonymously, then signs in: the same learner, now Lena's.
    const a = new Browser();
    expect((await answer(a, runner, 'delete-in-a-later-layer')).status).toBe(200);
    const anonymous = a.cookies().get('slipway_learner');
    const backA = await a.request(
      await idp.walk(a, login(runner, 'learner', '/join/?code=ABCD2345'), 'lena'),
    );
    expect(backA.status).toBe(303);
    expect(backA.headers.get('location')).toBe('/join/?code=ABCD2345');
    expect(a.cookies().get('slipway_learner')).toBe(anonymous);
    expect(await answered(a, runner)).toEqual(['delete-in-a-later-layer']);
    expect((await a.api(runner.url('/api/auth'))).body).toMatchObject({
      learner: { signedIn: true, name: 'Lena Learner' },
    });

    // Browser B has progress of its own; signing in as Lena merges it into hers.
    const b = new Browser();
    await answer(b, runner, 'dockerignore-at-the-context-root');
    expect((await b.request(await idp.walk(b, login(runner, 'learner', '/'), 'lena'))).status).toBe(
      303,
    );
    expect(b.cookies().get('slipway_learner')).toBe(anonymous);
    const both = ['delete-in-a-later-layer', 'dockerignore-at-the-context-root'];
    expect(await answered(b, runner)).toEqual(both);
    expect(await answered(a, runner)).toEqual(both);
    expect(runner.logs).toContainEqual(
      expect.objectContaining({ msg: 'learner signed in', decision: 'merge' }),
    );

    // Browser C has never been here: it signs in straight into Lena's progress.
    const c = new Browser();
    expect((await c.request(await idp.walk(c, login(runner, 'learner', '/'), 'lena'))).status).toBe(
      303,
    );
    expect(await answered(c, runner)).toEqual(both);
  });

  it('lets a class ask its learners to sign in: anonymous ones are told so, signed-in ones join', async () => {
    const teacher = new Browser();
    await teacher.request(
      await idp.walk(teacher, login(runner, 'instructor', '/instructor/'), 'ivan'),
    );
    const course = await teacher.api<{ modules: Array<{ slug: string }> }>(
      runner.url('/api/instructor/course'),
    );
    const made = await teacher.api<{ id: string; joinCode: string; requireSignIn: boolean }>(
      runner.url('/api/instructor/classes'),
      {
        json: { name: 'Signed only', modules: [course.body.modules[0]!.slug], requireSignIn: true },
      },
    );
    expect(made.body).toMatchObject({ requireSignIn: true });
    const code = made.body.joinCode;

    const mia = new Browser();
    expect((await mia.api(runner.url(`/api/join/${code}`))).body).toEqual({
      name: 'Signed only',
      requireSignIn: true,
    });
    const refused = await mia.api<{ error: { code: string; message: string; hint: string } }>(
      runner.url('/api/join'),
      { json: { code, displayName: 'Mia' } },
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: 'CLASS_NEEDS_SIGN_IN',
      message: 'This class asks its learners to sign in before they join.',
    });
    const view = async () =>
      (
        await teacher.api<{
          rows: Array<{ displayName: string }>;
          class: { requireSignIn: boolean };
        }>(runner.url(`/api/instructor/classes/${made.body.id}`))
      ).body;
    expect((await view()).rows).toEqual([]);

    await mia.request(await idp.walk(mia, login(runner, 'learner', `/join/?code=${code}`), 'mia'));
    const joined = await mia.api(runner.url('/api/join'), { json: { code, displayName: 'Mia' } });
    expect(joined.status).toBe(200);
    expect((await view()).rows.map((r) => r.displayName)).toEqual(['Mia']);

    // Turned off, the class takes anonymous learners again.
    const off = await teacher.api(runner.url(`/api/instructor/classes/${made.body.id}/settings`), {
      json: { requireSignIn: false },
    });
    expect(off.status).toBe(200);
    expect((await view()).class.requireSignIn).toBe(false);
    const anonymous = new Browser();
    expect(
      (await anonymous.api(runner.url('/api/join'), { json: { code, displayName: 'Anon' } }))
        .status,
    ).toBe(200);
  });

  it('refuses the same answer twice, and an answer in a browser that did not ask', async () => {
    const b = new Browser();
    const callback = await idp.walk(b, login(runner, 'learner', '/'), 'lena');
    const before = b.snapshot();
    expect((await b.request(callback)).status).toBe(303);
    // The cookie of the pending sign-in is gone; a replay brings it back with the same state.
    b.restore(before);
    const replay = await refusal(await b.request(callback));
    expect(replay).toMatchObject({ status: 400, code: 'SIGN_IN_REPLAYED' });
    expect(replay.text).toContain('This sign-in has already been used.');

    const stranger = new Browser();
    const elsewhere = await stranger.api<{ error: { code: string } }>(callback);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.code).toBe('SIGN_IN_EXPIRED');
    expect(stranger.cookies().has('slipway_learner')).toBe(false);
    for (const code of ['SIGN_IN_REPLAYED', 'SIGN_IN_EXPIRED'])
      expect(runner.logs).toContainEqual(expect.objectContaining({ msg: 'sign-in refused', code }));
  });

  it('starts no sign-in for a prefetch (it would replace the one the person starts)', async () => {
    const res = await fetch(login(runner, 'instructor', '/instructor/'), {
      headers: { 'sec-purpose': 'prefetch' },
      redirect: 'manual',
    });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('refuses to send anyone to another site after signing in', async () => {
    for (const bad of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const res = await new Browser().api<{ error: { code: string } }>(
        login(runner, 'learner', bad),
      );
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe('SIGN_IN_BAD_RETURN');
    }
  });

  it('follows the provider to a new signing key', async () => {
    const signIn = async () => {
      const b = new Browser();
      const res = await b.request(await idp.walk(b, login(runner, 'instructor', '/'), 'ivan'));
      return { status: res.status, body: await res.text() };
    };
    expect((await signIn()).status).toBe(303);
    const oldKid = idp.kid;
    const fetched = idp.hits.get('/jwks') ?? 0;
    expect(fetched).toBeGreaterThan(0);
    await idp.start();
    expect(idp.kid).not.toBe(oldKid);
    // The library fetches the keys again for an unknown key id at most once a minute; move
    // this process's clock (the runner's and the provider's alike) past that.
    vi.useFakeTimers({
      toFake: ['Date'],
      now: Date.now() + CLOCK_MOVE_MS,
      shouldAdvanceTime: true,
    });
    try {
      expect(await signIn()).toMatchObject({ status: 303 });
    } finally {
      vi.useRealTimers();
    }
    expect(idp.hits.get('/jwks')).toBe(fetched + 1);
  });
});

describe('tokens a real provider would never send', () => {
  const issuer = new FakeIssuer();
  let runner: Runner;

  beforeAll(async () => {
    await issuer.listen();
    runner = await startRunner({ SLIPWAY_OIDC_ISSUER: issuer.issuer });
  });
  afterAll(async () => {
    await runner?.platform.close();
    await issuer.close();
  });

  /** Starts a learner's sign-in and answers it as the provider would, with a crafted token. */
  async function signInWith(token: (nonce: string) => Promise<string>) {
    const b = new Browser();
    const start = await b.request(login(runner, 'learner', '/'));
    const auth = new URL(start.headers.get('location')!);
    const nonce = auth.searchParams.get('nonce')!;
    issuer.mint = () => token(nonce);
    const res = await b.request(
      runner.url(`/auth/oidc/callback?code=a-code&state=${auth.searchParams.get('state')}`),
    );
    return { b, auth, res, page: res.status === 303 ? undefined : await refusal(res) };
  }

  it('accepts a well-formed token (so the refusals below are the token’s fault)', async () => {
    const { b, auth, res } = await signInWith((nonce) => issuer.token({ nonce }));
    expect(res.status).toBe(303);
    expect(b.cookies().has('slipway_learner')).toBe(true);
    // The code went with the PKCE verifier that matches the challenge, and the client secret.
    const sent = issuer.tokenRequests.at(-1)!;
    expect(s256(sent.form.get('code_verifier')!)).toBe(auth.searchParams.get('code_challenge'));
    expect(sent.form.get('redirect_uri')).toBe(runner.url('/auth/oidc/callback'));
    const [scheme, credentials] = sent.authorization!.split(' ');
    expect(scheme).toBe('Basic');
    // RFC 6749 2.3.1: each part form-encoded, then base64.
    expect(
      Buffer.from(credentials!, 'base64').toString().split(':').map(decodeURIComponent),
    ).toEqual([CLIENT_ID, CLIENT_SECRET]);
  });

  const now = () => Math.floor(Date.now() / 1000);
  const cases: Array<[string, (nonce: string) => Promise<string>, string]> = [
    [
      'an expired token',
      (nonce) => issuer.token({ nonce, iat: now() - 7200, exp: now() - 3600 }),
      'the sign-in token has expired',
    ],
    [
      'a token signed by a key the provider does not publish, under its key id',
      async (nonce) => issuer.token({ nonce }, { key: await issuer.strangerKey() }),
      'the sign-in token’s signature does not match the provider’s keys',
    ],
    [
      'a token signed by a key the provider does not publish, under a key id of its own',
      async (nonce) => issuer.token({ nonce }, { key: await issuer.strangerKey(), kid: 'mine' }),
      'the sign-in token is signed with a key the provider does not publish',
    ],
    [
      'a token for another application',
      (nonce) => issuer.token({ nonce, aud: 'another-app' }),
      'the sign-in token was issued for another application',
    ],
    [
      'a token replayed from an earlier sign-in (another nonce)',
      () => issuer.token({ nonce: 'the-nonce-of-an-earlier-sign-in' }),
      'the sign-in token belongs to another sign-in',
    ],
    [
      'a token from another issuer',
      (nonce) => issuer.token({ nonce, iss: 'https://idp.evil.example' }),
      'the sign-in token comes from another provider',
    ],
  ];
  for (const [what, token, reason] of cases)
    it(`refuses ${what}`, async () => {
      const { b, page } = await signInWith(token);
      expect(page).toMatchObject({ status: 401, code: 'SIGN_IN_REFUSED' });
      expect(page!.text).toContain(
        `Slipway could not accept the sign-in from 127.0.0.1:${new URL(issuer.issuer).port}: ${reason}.`,
      );
      expect(b.cookies().has('slipway_learner')).toBe(false);
      expect(runner.logs).toContainEqual(
        expect.objectContaining({ msg: 'sign-in answer refused', reason }),
      );
    });
});

describe('a site where learners must sign in', () => {
  const issuer = new FakeIssuer();
  let runner: Runner;

  beforeAll(async () => {
    await issuer.listen();
    runner = await startRunner({
      SLIPWAY_OIDC_ISSUER: issuer.issuer,
      SLIPWAY_OIDC_LEARNERS: 'required',
    });
  });
  afterAll(async () => {
    await runner?.platform.close();
    await issuer.close();
  });

  it('keeps nothing of an anonymous learner, and everything once they signed in', async () => {
    const b = new Browser();
    for (const refused of [
      await b.api<{ error: { code: string } }>(runner.url('/api/learner'), { method: 'POST' }),
      await answer(b, runner, 'delete-in-a-later-layer'),
    ]) {
      expect(refused.status).toBe(401);
      expect((refused.body as { error: { code: string } }).error.code).toBe('SIGN_IN_REQUIRED');
    }
    expect(b.cookies().has('slipway_learner')).toBe(false);

    const start = await b.request(login(runner, 'learner', '/'));
    const auth = new URL(start.headers.get('location')!);
    issuer.mint = () =>
      issuer.token({ nonce: auth.searchParams.get('nonce')!, sub: 'grace', name: 'Grace' });
    const back = await b.request(
      runner.url(`/auth/oidc/callback?code=c&state=${auth.searchParams.get('state')}`),
    );
    expect(back.status).toBe(303);
    expect((await answer(b, runner, 'delete-in-a-later-layer')).status).toBe(200);
    expect(await answered(b, runner)).toEqual(['delete-in-a-later-layer']);
  });
});
