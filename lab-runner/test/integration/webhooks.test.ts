import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InstructorStore } from '../../src/accounts/instructor-store.ts';
import { hashPassword } from '../../src/accounts/passwords.ts';
import { openDatabase } from '../../src/progress/database.ts';
import { taskPassedEventSchema } from '../../src/protocol/index.ts';
import { verifyWebhook } from '../../src/webhooks/signature.ts';
import { type Receiver, refusedUrl, startReceiver } from '../../src/webhooks/test-receiver.ts';
import { RunnerProcess } from './runner-process.ts';

/**
 * Webhooks end to end: the real runner process, a learner passing a task in a real sandbox,
 * and receivers on 127.0.0.1 (the only range the test allows): one that fails once then
 * answers, one that never answers, one that refuses. Nothing leaves the machine.
 */
const runner = new RunnerProcess({
  prefix: 'it-webhooks',
  env: {
    SLIPWAY_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1',
    SLIPWAY_WEBHOOK_RETRY_BASE_MS: '300',
    SLIPWAY_WEBHOOK_TIMEOUT_MS: '3000',
  },
});
let flaky: Receiver;
let dead: Receiver;
let deadAnswers = false;
let teacher = '';
let classId = '';
let joinCode = '';

const cookieOf = (r: Response) =>
  r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
const call = (method: string, path: string, cookie: string, body?: unknown) =>
  fetch(`${runner.url}${path}`, {
    method,
    headers: { cookie, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
type Logged = {
  url: string;
  status: string;
  attempts: number;
  responseCode: number | null;
  lastError: string | null;
  log: Array<{ responseCode: number | null; error: string | null }>;
};
const deliveryLog = async () =>
  (
    (await (
      await call('GET', `/api/instructor/classes/${classId}/webhooks/deliveries`, teacher)
    ).json()) as { deliveries: Logged[] }
  ).deliveries;

beforeAll(async () => {
  flaky = await startReceiver((n) => (n === 0 ? 500 : 204));
  dead = await startReceiver(() => (deadAnswers ? 204 : 'hang'));
  const db = openDatabase(join(runner.dataDir, 'slipway.db'));
  new InstructorStore(db).create('hedda', await hashPassword('hedda-password-1'));
  db.close();
  await runner.start();
  teacher = cookieOf(
    await call('POST', '/api/instructor/login', '', {
      username: 'hedda',
      password: 'hedda-password-1',
    }),
  );
  ({ id: classId, joinCode } = await (
    await call('POST', '/api/instructor/classes', teacher, {
      name: 'Webhooks class',
      modules: ['docker-fundamentals'],
    })
  ).json());
});
afterAll(async () => {
  await runner.dispose();
  await flaky?.close();
  await dead?.close();
});

describe('webhooks from the real runner', () => {
  it('a receiver gets a signed task.passed, retried after a 500, with both attempts logged', async () => {
    const register = async (url: string) => {
      const r = await call('POST', `/api/instructor/classes/${classId}/webhooks`, teacher, {
        url,
        events: ['task.passed'],
      });
      expect(r.status).toBe(201);
      return (await r.json()) as { id: string; secret: string };
    };
    const { secret } = await register(flaky.url);
    await register(dead.url);
    await register(await refusedUrl());

    const cookie = await runner.newLearner();
    await call('POST', '/api/join', cookie, { code: joinCode, displayName: 'Ines' });
    const term = runner.labSocket(cookie);
    await term.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
    await term.waitForScreen('learner@first-containers');
    term.type('docker run -d --name web -p 8080:80 nginx\r');
    await term.waitFor(
      (m) => m.type === 'task' && m.task.id === 'run-web' && m.task.state === 'passed',
      60_000,
    );

    await vi.waitFor(() => expect(flaky.received).toHaveLength(2), { timeout: 30_000 });
    const [first, second] = flaky.received;
    for (const got of [first!, second!])
      expect(verifyWebhook(secret, got.headers, got.body)).toEqual({ ok: true });
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(second!.body).toBe(first!.body);
    const event = taskPassedEventSchema.parse(JSON.parse(second!.body));
    expect(event).toMatchObject({
      id: first!.headers['webhook-id'],
      class: { id: classId, name: 'Webhooks class' },
      learner: { displayName: 'Ines' },
      lab: { id: 'first-containers' },
      task: { id: 'run-web' },
    });
    // The learner's lab went on while the dead endpoint held its request open.
    expect(dead.received.length).toBeGreaterThan(0);

    await vi.waitFor(async () => {
      const mine = (await deliveryLog()).find((d) => d.url === flaky.url);
      expect(mine).toMatchObject({ status: 'delivered', attempts: 2, responseCode: 204 });
      expect(mine!.log.map((a) => a.responseCode)).toEqual([500, 204]);
      expect(mine!.log[0]!.error).toBe('HTTP 500: answer 500');
    });
    // The other two are still being retried: one timed out, one was refused.
    await vi.waitFor(
      async () => {
        const log = await deliveryLog();
        const silent = log.find((d) => d.url === dead.url);
        expect(silent).toMatchObject({ status: 'pending', lastError: 'no answer within 3 s' });
        const refused = log.find((d) => d.url !== dead.url && d.url !== flaky.url);
        expect(refused).toMatchObject({ status: 'pending', lastError: 'connection refused' });
      },
      { timeout: 15_000, interval: 250 },
    );
    term.close();
  });

  it('a delivery still pending when the runner is killed is sent after it restarts', async () => {
    await runner.stop('SIGKILL');
    deadAnswers = true;
    await runner.start();
    await vi.waitFor(
      async () => {
        const mine = (await deliveryLog()).find((d) => d.url === dead.url);
        expect(mine).toMatchObject({ status: 'delivered', responseCode: 204 });
      },
      { timeout: 30_000, interval: 500 },
    );
    const answered = dead.received.at(-1)!;
    // What was delivered before the kill is not sent again.
    expect(flaky.received).toHaveLength(2);
    expect(JSON.parse(answered.body)).toMatchObject({
      type: 'task.passed',
      task: { id: 'run-web' },
    });
  });
});
