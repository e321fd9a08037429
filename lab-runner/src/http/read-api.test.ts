/**
 * The read API over HTTP against the real runner (startPlatform) and a real SQLite file: an
 * instructor's token pages through a class's progress. No Docker engine is needed: progress is
 * written to the database the way a check would, and questions are answered over HTTP.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  cookieOf,
  type EnginelessPlatform,
  startEngineless,
} from '../../test/engineless-platform.ts';
import { openDatabase } from '../progress/database.ts';
import { ProgressStore } from '../progress/progress-store.ts';
import {
  apiClassListSchema,
  apiLearnerDetailSchema,
  apiProgressPageSchema,
  openApiDocument,
} from '../protocol/index.ts';

let runner: EnginelessPlatform;
const call = (method: string, p: string, cookie = '', body?: unknown) =>
  runner.call(method, p, cookie, body);
const get = (p: string, token?: string) =>
  fetch(runner.url(p), token ? { headers: { authorization: `Bearer ${token}` } } : {});
const errorOf = async (r: Response) => ((await r.json()) as { error: { code: string } }).error.code;

const LESSON = `---
title: Volumes
lab: vol
questions:
  - id: volume-flag
    kind: short
    prompt: Which flag mounts a volume?
    answers: ['-v']
    explanation: -v (or --mount).
---

Text.
`;
const LAB = `title: Volumes lab
tasks:
  - id: make
    title: Make a volume
    description: Make it.
    hint: docker volume create.
    check: checks/one.sh
    solution: docker volume create data
  - id: use
    title: Use it
    description: Use it.
    hint: -v.
    check: checks/one.sh
    solution: docker run -v data:/data alpine true
`;

/** A validator made from the served OpenAPI document's own JSON Schema of a component. */
function documented(doc: { components: { schemas: object } }, id: string): z.ZodType {
  const defs = JSON.parse(
    JSON.stringify(doc.components.schemas).replaceAll('#/components/schemas/', '#/$defs/'),
  );
  return z.fromJSONSchema({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $ref: `#/$defs/${id}`,
    $defs: defs,
  });
}

let wanda = '';
let classId = '';
let ottoClassId = '';
let learnerIds: string[] = [];
let ottoLearner = '';
let token = '';

async function joinAs(code: string, name: string, answer?: string): Promise<void> {
  const learner = cookieOf(await call('POST', '/api/learner'));
  await call('POST', '/api/join', learner, { code, displayName: name });
  if (answer) await call('POST', '/api/questions/volume-flag/answer', learner, { text: answer });
}

beforeAll(async () => {
  runner = await startEngineless({
    name: 'read-api',
    lessons: { '01-storage/01-volumes.mdx': LESSON },
    setup: (f) => {
      f.write('labs/vol/lab.yaml', LAB);
      f.write('labs/vol/checks/one.sh', 'pass\n');
    },
    instructors: { wanda: 'wanda-password-1', otto: 'otto-password-12' },
  });
  wanda = await runner.login('wanda', 'wanda-password-1');
  const otto = await runner.login('otto', 'otto-password-12');
  const made = await (
    await call('POST', '/api/instructor/classes', wanda, { name: 'Storage', modules: ['storage'] })
  ).json();
  classId = made.id;
  const ottos = await (
    await call('POST', '/api/instructor/classes', otto, { name: 'Otto’s', modules: ['storage'] })
  ).json();
  ottoClassId = ottos.id;
  for (const [i, name] of ['Ada', 'Bo', 'Cy', 'Di', 'Ed'].entries())
    await joinAs(made.joinCode, name, i % 2 === 0 ? '-v' : 'wrong');
  await joinAs(ottos.joinCode, 'Olga');
  const rows = async (id: string, cookie: string) =>
    (
      (await (await call('GET', `/api/instructor/classes/${id}`, cookie)).json()) as {
        rows: Array<{ learnerId: string; displayName: string }>;
      }
    ).rows;
  const wandas = await rows(classId, wanda);
  learnerIds = wandas.map((r) => r.learnerId).sort();
  ottoLearner = (await rows(ottoClassId, otto))[0]!.learnerId;

  // Ada passed both tasks, then broke the first one again.
  const ada = wandas.find((r) => r.displayName === 'Ada')!.learnerId;
  const db = openDatabase(join(runner.dataDir, 'slipway.db'));
  const store = new ProgressStore(db);
  const check = (taskId: string, passed: boolean, at: string) =>
    store.recordAttempt({
      learnerId: ada,
      labId: 'vol',
      taskId,
      passed,
      reason: passed ? undefined : 'There is no volume "data".',
      trigger: 'command',
      durationMs: 3,
      at: new Date(at),
    });
  check('make', true, '2026-01-01T10:00:00Z');
  check('use', true, '2026-01-01T10:01:00Z');
  check('make', false, '2026-01-01T10:02:00Z');
  db.close();
}, 60_000);
afterAll(async () => {
  await runner?.close();
});

describe('API tokens in the dashboard’s API', () => {
  it('are created for the signed-in instructor and shown once', async () => {
    const r = await call('POST', '/api/instructor/tokens', wanda, { label: 'grades sync' });
    expect(r.status).toBe(201);
    const body = await r.json();
    token = body.token;
    expect(token).toMatch(/^slw_/);
    const list = await (await call('GET', '/api/instructor/tokens', wanda)).json();
    expect(list.tokens).toEqual([
      expect.objectContaining({ id: body.id, label: 'grades sync', prefix: token.slice(0, 12) }),
    ]);
    expect(JSON.stringify(list)).not.toContain(token);
  });

  it('need a session and a label', async () => {
    expect((await call('GET', '/api/instructor/tokens')).status).toBe(401);
    const r = await call('POST', '/api/instructor/tokens', wanda, { label: '' });
    expect(await errorOf(r)).toBe('BAD_REQUEST');
  });
});

describe('the read API', () => {
  it('refuses a request without a valid token, with a JSON error', async () => {
    for (const t of [undefined, 'slw_nonsense', token.slice(0, -2)]) {
      const r = await get('/api/v1/classes', t);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await errorOf(r)).toBe('API_TOKEN_INVALID');
    }
    // The instructor's session cookie is not a token.
    const r = await fetch(runner.url('/api/v1/classes'), { headers: { cookie: wanda } });
    expect(r.status).toBe(401);
  });

  it('lists only the token owner’s classes', async () => {
    const r = await get('/api/v1/classes', token);
    expect(r.status).toBe(200);
    const body = apiClassListSchema.parse(await r.json());
    expect(body.classes).toEqual([
      expect.objectContaining({ id: classId, name: 'Storage', members: 5, modules: ['storage'] }),
    ]);
  });

  it('pages through a class’s progress in learner id order, each learner once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const r = await get(`/api/v1/classes/${classId}/progress?limit=2${q}`, token);
      expect(r.status).toBe(200);
      const page = apiProgressPageSchema.parse(await r.json());
      expect(page.learners.length).toBeLessThanOrEqual(2);
      seen.push(...page.learners.map((l) => l.learnerId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(learnerIds);
  });

  it('gives tasks passed per lab, broken-again tasks and questions answered', async () => {
    const page = apiProgressPageSchema.parse(
      await (await get(`/api/v1/classes/${classId}/progress`, token)).json(),
    );
    expect(page.nextCursor).toBe(null);
    const ada = page.learners.find((l) => l.displayName === 'Ada')!;
    expect(ada.labs).toEqual([
      { labId: 'vol', title: 'Volumes lab', tasks: 2, passed: 2, brokenAgain: ['make'] },
    ]);
    expect(ada.questions).toEqual({ answered: 1, correct: 1, total: 1 });
    expect(ada.lastActivity).toBe('2026-01-01T10:02:00.000Z');
    const bo = page.learners.find((l) => l.displayName === 'Bo')!;
    expect(bo.questions).toEqual({ answered: 1, correct: 0, total: 1 });
    expect(bo.labs[0]).toMatchObject({ passed: 0, brokenAgain: [] });
  });

  it('refuses a limit out of bounds and a cursor it did not give for this class', async () => {
    const other = await (await get(`/api/v1/classes/${classId}/progress?limit=1`, token)).json();
    for (const q of [
      'limit=0',
      `limit=201`,
      'limit=two',
      'cursor=bm9wZQ',
      'colour=red',
      `cursor=${other.nextCursor.slice(0, -3)}`,
    ]) {
      const r = await get(`/api/v1/classes/${classId}/progress?${q}`, token);
      expect(r.status, q).toBe(400);
      expect(await errorOf(r)).toBe('BAD_REQUEST');
    }
  });

  it('gives one learner task by task', async () => {
    const r = await get(`/api/v1/classes/${classId}/learners/${learnerIds[0]}`, token);
    expect(r.status).toBe(200);
    const d = apiLearnerDetailSchema.parse(await r.json());
    expect(Object.keys(d.tasks)).toEqual(['vol']);
    expect(d.tasks.vol!.map((t) => t.taskId)).toEqual(['make', 'use']);
  });

  it('does not show another instructor’s class or learner, nor answer other methods', async () => {
    for (const p of [
      `/api/v1/classes/${ottoClassId}/progress`,
      `/api/v1/classes/${ottoClassId}/learners/${ottoLearner}`,
    ]) {
      const r = await get(p, token);
      expect(r.status).toBe(404);
      expect(await errorOf(r)).toBe('CLASS_NOT_FOUND');
    }
    const stranger = await get(`/api/v1/classes/${classId}/learners/${ottoLearner}`, token);
    expect(await errorOf(stranger)).toBe('LEARNER_NOT_FOUND');
    expect((await get('/api/v1/classes/x/y', token)).status).toBe(404);
    const post = await fetch(runner.url('/api/v1/classes'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, origin: runner.url('') },
    });
    expect(post.status).toBe(405);
  });

  it('serves its OpenAPI document: every path answers, in the documented shape', async () => {
    const doc = await (await get('/api/v1/openapi.json')).json();
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    const ids = { classId, learnerId: learnerIds[0]! };
    const paths = Object.entries(doc.paths as Record<string, { get: Operation }>);
    expect(paths.length).toBe(4);
    for (const [template, { get: op }] of paths) {
      const path = template.replace(/\{(\w+)\}/g, (_, k: keyof typeof ids) => ids[k]);
      const r = await get(path, token);
      expect(r.status, path).toBe(200);
      const schema = op.responses['200']!.content?.['application/json'].schema.$ref;
      const body = await r.json();
      if (schema) {
        const parsed = documented(doc, schema.split('/').at(-1)!).safeParse(body);
        expect(parsed.error, path).toBeUndefined();
      }
      // The documented errors are in the documented shape too.
      if (op.responses['401']) {
        const refused = await (await get(path)).json();
        expect(documented(doc, 'Error').safeParse(refused).success).toBe(true);
      }
    }
  });
});

type Operation = {
  responses: Record<string, { content?: Record<'application/json', { schema: { $ref: string } }> }>;
};

describe('revoking a token', () => {
  it('is the owner’s alone, and the token stops working at once', async () => {
    const { tokens } = await (await call('GET', '/api/instructor/tokens', wanda)).json();
    const otto = await runner.login('otto', 'otto-password-12');
    const foreign = await call('DELETE', `/api/instructor/tokens/${tokens[0].id}`, otto);
    expect(await errorOf(foreign)).toBe('API_TOKEN_NOT_FOUND');
    expect((await get('/api/v1/classes', token)).status).toBe(200);

    const r = await call('DELETE', `/api/instructor/tokens/${tokens[0].id}`, wanda);
    expect(r.status).toBe(200);
    const after = await get('/api/v1/classes', token);
    expect(after.status).toBe(401);
    expect(await errorOf(after)).toBe('API_TOKEN_INVALID');
    expect((await (await call('GET', '/api/instructor/tokens', wanda)).json()).tokens).toEqual([]);
  });
});
