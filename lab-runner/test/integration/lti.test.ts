import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeGoodLab } from '../../../site/src/build/test-fixtures.ts';
import { consoleLogger } from '../../src/errors/log.ts';
import { LEARNER_COOKIE } from '../../src/identity/learner-cookie.ts';
import { ScoreStore } from '../../src/lti/score-store.ts';
import { openDatabase } from '../../src/progress/database.ts';
import { ProgressStore } from '../../src/progress/progress-store.ts';
import { type EnginelessPlatform, startEngineless } from '../engineless-platform.ts';
import { Browser } from './browser.ts';
import {
  CLIENT_ID,
  formOf,
  INSTRUCTOR,
  LEARNER,
  type Message,
  TestPlatform,
} from './lti-platform.ts';

/**
 * Slipway as an LTI 1.3 tool against a spec-conformant test platform on 127.0.0.1 (signed
 * launches, a token endpoint checking the tool's client assertions, AGS line items and scores,
 * NRPS, deep linking), with the real runner (no Docker engine: progress is a question answered
 * through the API and a task completion recorded in the runner's database as its check loop
 * records one). Forged launches are each refused with a reason, and logged.
 */
const LESSON = `---
title: First containers
lab: good-lab
questions:
  - id: run-starts
    kind: choice
    prompt: What does \`docker run\` start?
    options:
      - text: An image
        correct: false
        explanation: A template.
      - text: A container
        correct: true
        explanation: Yes.
  - id: default-driver
    kind: short
    prompt: Which network driver does a container get by default?
    answers: [bridge]
    explanation: The default bridge.
---

Text.
`;

const platform = new TestPlatform();
let runner: EnginelessPlatform;
const logs: Array<Record<string, unknown>> = [];
let configDir = '';
const lena = { sub: 'lms-user-lena', name: 'Lena Learner', roles: [LEARNER] };
const ivan = { sub: 'lms-user-ivan', name: 'Ivan Instructor', roles: [INSTRUCTOR] };

beforeAll(async () => {
  await platform.listen();
  configDir = mkdtempSync(join(tmpdir(), 'slipway-lti-config-'));
  const file = join(configDir, 'platforms.json');
  writeFileSync(file, JSON.stringify([platform.registration()]));
  runner = await startEngineless({
    name: 'lti',
    lessons: { '01-basics/01-first.mdx': LESSON },
    setup: (f) => writeGoodLab(f, 'good-lab'),
    env: { SLIPWAY_LTI_PLATFORMS: file, SLIPWAY_LTI_RETRY_BASE_MS: '200' },
    logger: consoleLogger('lab-runner', (line) => logs.push(JSON.parse(line))),
  });
  platform.trust(runner.url('/lti/jwks'));
}, 60_000);
afterAll(async () => {
  await runner?.close();
  await platform.close();
  rmSync(configDir, { recursive: true, force: true });
});

/** A whole launch as a browser makes it: the LMS's login link, its auth page, the form_post. */
async function launch(b: Browser, m: Message): Promise<Response> {
  const start = await b.request(
    platform.loginUrl(runner.url('/lti/login'), m, runner.url('/lti/launch')),
  );
  expect(start.status).toBe(302);
  const auth = await b.request(start.headers.get('location')!);
  expect(auth.status).toBe(200);
  const { action, fields } = formOf(await auth.text());
  return b.request(action, { form: fields });
}

async function refusal(res: Response) {
  const html = await res.text();
  return {
    status: res.status,
    code: /data-error-code="([A-Z_]+)"/.exec(html)?.[1] ?? '',
    text: html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/\s+/g, ' '),
  };
}

const learnerIdOf = (b: Browser) => {
  const v = b.cookies().get(LEARNER_COOKIE)!;
  return v.slice(0, v.lastIndexOf('.'));
};

describe('Slipway as an LTI 1.3 tool', () => {
  it('publishes its key for the platform', async () => {
    const res = await fetch(runner.url('/lti/jwks'));
    const { keys } = (await res.json()) as { keys: Array<Record<string, string>> };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(keys[0]!.d).toBeUndefined();
  });

  it('lands a learner in the lab, and their progress reaches the gradebook', async () => {
    const b = new Browser();
    const landed = await launch(b, { user: lena, custom: { lab: 'good-lab' } });
    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toBe('/basics/first/');
    expect(b.cookies().get(LEARNER_COOKIE)).toBeTruthy();
    // The launch itself sends the score so far: nothing done of 2 tasks and 2 questions.
    await vi.waitFor(() => expect(platform.scores).toHaveLength(1), { timeout: 10_000 });
    expect(platform.lineItems).toEqual([
      expect.objectContaining({ resourceId: 'good-lab', scoreMaximum: 4 }),
    ]);
    expect(platform.scores[0]!.body).toMatchObject({
      userId: lena.sub,
      scoreGiven: 0,
      scoreMaximum: 4,
      activityProgress: 'InProgress',
      gradingProgress: 'FullyGraded',
    });

    const answered = await b.api(runner.url('/api/questions/run-starts/answer'), {
      json: { choice: 1 },
    });
    expect(answered.status).toBe(200);
    await vi.waitFor(() => expect(platform.scores.at(-1)!.body.scoreGiven).toBe(1), {
      timeout: 10_000,
    });

    // The check loop records a passed task this way; the next event sends it with the rest.
    const db = openDatabase(join(runner.dataDir, 'slipway.db'));
    try {
      new ProgressStore(db).recordAttempt({
        learnerId: learnerIdOf(b),
        labId: 'good-lab',
        taskId: 'one',
        passed: true,
        reason: undefined,
        trigger: 'command',
        durationMs: 5,
        at: new Date(),
      });
    } finally {
      db.close();
    }
    // The gradebook fails once: the score is sent again, and both attempts are on record.
    platform.failScores = 1;
    const typed = await b.api(runner.url('/api/questions/default-driver/answer'), {
      json: { text: 'bridge' },
    });
    expect(typed.status).toBe(200);
    await vi.waitFor(() => expect(platform.scores.at(-1)!.body.scoreGiven).toBe(3), {
      timeout: 10_000,
    });
    expect(platform.scores.at(-1)!.body).toMatchObject({ scoreMaximum: 4, userId: lena.sub });
    expect(platform.tokenRequests.every((t) => t.ok)).toBe(true);

    const check = openDatabase(join(runner.dataDir, 'slipway.db'));
    try {
      const store = new ScoreStore(check);
      const sends = store.sends(learnerIdOf(b));
      const last = sends.at(-1)!;
      expect(last).toMatchObject({ status: 'sent', attempts: 2, scoreGiven: 3 });
      expect(store.attempts(last.id).map((a) => a.responseCode)).toEqual([500, 200]);
      expect(logs.some((l) => l.msg === 'LTI score not sent')).toBe(true);
    } finally {
      check.close();
    }
  });

  it('lands an instructor in the class view of the course, with the roster from NRPS', async () => {
    platform.members = [
      { ...lena },
      { sub: 'lms-user-noor', name: 'Noor Not-yet', roles: [LEARNER] },
      { sub: 'lms-user-gone', name: 'Gone Dropped', roles: [LEARNER], status: 'Inactive' },
      { ...ivan },
    ];
    const b = new Browser();
    const landed = await launch(b, { user: ivan });
    expect(landed.status).toBe(303);
    const to = new URL(landed.headers.get('location')!, runner.url('/'));
    expect(to.pathname).toBe('/instructor/class/');
    const classId = to.searchParams.get('id')!;
    const view = async () =>
      (
        await b.api<{ class: { name: string }; rows: Array<{ displayName: string }> }>(
          runner.url(`/api/instructor/classes/${classId}`),
        )
      ).body;
    await vi.waitFor(
      async () =>
        expect((await view()).rows.map((r) => r.displayName).sort()).toEqual([
          'Lena Learner',
          'Noor Not-yet',
        ]),
      { timeout: 10_000 },
    );
    expect((await view()).class.name).toBe('Docker 101');
    // What was sent to the course's gradebook is on record for its instructors.
    const record = await b.api<{
      sends: Array<{
        learner: { displayName: string };
        scoreGiven: number;
        status: string;
        attempts: Array<{ responseCode: number | null }>;
      }>;
    }>(runner.url(`/api/instructor/classes/${classId}/lti/scores`));
    expect(record.status).toBe(200);
    expect(record.body.sends[0]).toMatchObject({
      learner: { displayName: 'Lena Learner' },
      scoreGiven: 3,
      status: 'sent',
      attempts: [{ responseCode: 500 }, { responseCode: 200 }],
    });
    // Noor's first launch finds the learner the roster made for her.
    const nb = new Browser();
    await launch(nb, { user: { sub: 'lms-user-noor', name: 'Noor Not-yet', roles: [LEARNER] } });
    expect((await view()).rows).toHaveLength(2);
  });

  it('lets an instructor pick activities and answers the LMS with a signed response', async () => {
    const b = new Browser();
    const picker = await launch(b, { user: ivan, type: 'LtiDeepLinkingRequest' });
    expect(picker.status).toBe(200);
    const html = await picker.text();
    expect(html).toContain('value="lab:good-lab"');
    const { action, fields } = formOf(html);
    expect(action).toBe('/lti/deep-link');
    const form = new URLSearchParams(fields);
    form.append('item', 'lab:good-lab');
    form.append('item', 'module:basics');
    const answered = await fetch(runner.url(action), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const back = formOf(await answered.text());
    expect(back.action).toBe(`${platform.issuer}/deep-link-return`);
    const returned = await b.request(back.action, { form: back.fields });
    expect(returned.status).toBe(200);
    const response = platform.deepLinkResponses.at(-1)!;
    expect(response).toMatchObject({
      iss: CLIENT_ID,
      'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiDeepLinkingResponse',
      'https://purl.imsglobal.org/spec/lti-dl/claim/data': 'opaque-platform-data',
    });
    const items = response['https://purl.imsglobal.org/spec/lti-dl/claim/content_items'] as Array<
      Record<string, unknown>
    >;
    expect(items).toEqual([
      expect.objectContaining({ type: 'ltiResourceLink', custom: { module: 'basics' } }),
      expect.objectContaining({
        custom: { lab: 'good-lab' },
        lineItem: expect.objectContaining({ resourceId: 'good-lab', scoreMaximum: 4 }),
      }),
    ]);
  });

  it('does not let a learner add activities', async () => {
    const r = await refusal(
      await launch(new Browser(), { user: lena, type: 'LtiDeepLinkingRequest' }),
    );
    expect(r.code).toBe('LTI_LAUNCH_REFUSED');
    expect(r.text).toContain('only the course’s instructors');
  });

  it('keeps a browser that starts login after login from piling up cookies', async () => {
    const b = new Browser();
    const pending = () => [...b.cookies().keys()].filter((k) => k.startsWith('slipway_lti_'));
    for (let i = 0; i < 4; i++)
      await b.request(
        platform.loginUrl(runner.url('/lti/login'), { user: lena }, runner.url('/lti/launch')),
      );
    expect(pending()).toHaveLength(4);
    await b.request(
      platform.loginUrl(runner.url('/lti/login'), { user: lena }, runner.url('/lti/launch')),
    );
    expect(pending()).toHaveLength(1);
  });

  describe('refuses forged launches with a reason, and logs them', () => {
    const refusedWith = async (res: Response, kind: string, words: string) => {
      const r = await refusal(res);
      expect(r.status).toBe(401);
      expect(r.code).toBe('LTI_LAUNCH_REFUSED');
      expect(r.text).toContain(words);
      expect(logs.filter((l) => l.msg === 'LTI launch refused').at(-1)).toMatchObject({ kind });
    };

    it('a bad signature', async () => {
      await refusedWith(
        await launch(new Browser(), { user: lena, wrongKey: true }),
        'bad-signature',
        'is not signed by a key Test LMS publishes',
      );
    });

    it('an unknown issuer', async () => {
      await refusedWith(
        await launch(new Browser(), {
          user: lena,
          claims: (c) => ({ ...c, iss: 'https://evil.example' }),
        }),
        'unknown-issuer',
        'not a platform registered',
      );
    });

    it('an unknown deployment', async () => {
      await refusedWith(
        await launch(new Browser(), {
          user: lena,
          claims: (c) => ({
            ...c,
            'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'other',
          }),
        }),
        'unknown-deployment',
        'deployment id "other" is not one of Test LMS',
      );
    });

    it('a replayed nonce', async () => {
      const b = new Browser();
      const first = await launch(b, { user: lena, custom: { lesson: 'basics/first' } });
      expect(first.status).toBe(303);
      // The same id_token again, through a fresh login of the same browser (a new state).
      const start = await b.request(
        platform.loginUrl(runner.url('/lti/login'), { user: lena }, runner.url('/lti/launch')),
      );
      const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
      await refusedWith(
        await b.request(runner.url('/lti/launch'), {
          form: { id_token: platform.lastIdToken, state },
        }),
        'replayed-nonce',
        'nonce this browser’s login did not ask for',
      );
    });

    it('the same launch posted twice', async () => {
      const b = new Browser();
      const start = await b.request(
        platform.loginUrl(runner.url('/lti/login'), { user: lena }, runner.url('/lti/launch')),
      );
      const auth = await b.request(start.headers.get('location')!);
      const { action, fields } = formOf(await auth.text());
      const saved = b.snapshot();
      expect((await b.request(action, { form: fields })).status).toBe(303);
      b.restore(saved);
      await refusedWith(
        await b.request(action, { form: fields }),
        'replayed-nonce',
        'already used once',
      );
    });

    it('an expired token', async () => {
      const past = Math.floor(Date.now() / 1000) - 3600;
      await refusedWith(
        await launch(new Browser(), {
          user: lena,
          claims: (c) => ({ ...c, iat: past - 60, exp: past }),
        }),
        'expired',
        'has expired',
      );
    });

    it('missing claims', async () => {
      await refusedWith(
        await launch(new Browser(), {
          user: lena,
          claims: (c) => {
            const { 'https://purl.imsglobal.org/spec/lti/claim/version': _, ...rest } = c;
            return rest;
          },
        }),
        'missing-claims',
        'lacks LTI 1.3 claims',
      );
    });

    it('a wrong audience', async () => {
      await refusedWith(
        await launch(new Browser(), { user: lena, claims: (c) => ({ ...c, aud: 'another-tool' }) }),
        'wrong-audience',
        'meant for another tool',
      );
    });

    it('a state that is not this browser’s', async () => {
      const b = new Browser();
      const start = await b.request(
        platform.loginUrl(runner.url('/lti/login'), { user: lena }, runner.url('/lti/launch')),
      );
      const auth = await b.request(start.headers.get('location')!);
      const { action, fields } = formOf(await auth.text());
      // Another browser (no cookie from the login) posts the launch.
      await refusedWith(
        await new Browser().request(action, { form: fields }),
        'state-mismatch',
        'not started from this browser',
      );
    });

    it('a login from an unregistered platform', async () => {
      const u = new URL(runner.url('/lti/login'));
      u.searchParams.set('iss', 'https://evil.example');
      u.searchParams.set('login_hint', 'x');
      u.searchParams.set('target_link_uri', runner.url('/'));
      await refusedWith(await new Browser().request(u.href), 'unknown-issuer', 'not registered');
    });
  });
});
