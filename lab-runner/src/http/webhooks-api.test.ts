/**
 * A class's webhooks over HTTP against the real runner (startPlatform) and a real SQLite file,
 * with a receiver on 127.0.0.1. No Docker engine is needed: a question answered is an event.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  cookieOf,
  type EnginelessPlatform,
  startEngineless,
} from '../../test/engineless-platform.ts';
import { verifyWebhook } from '../webhooks/signature.ts';
import { type Receiver, startReceiver } from '../webhooks/test-receiver.ts';

let runner: EnginelessPlatform;
let receiver: Receiver;
const call = (method: string, p: string, cookie: string, body?: unknown) =>
  runner.call(method, p, cookie, body);
const login = (username: string, password: string) => runner.login(username, password);
const errorOf = async (r: Response) => ((await r.json()) as { error: { code: string } }).error.code;

const LESSON = `---
title: Networks
questions:
  - id: default-driver
    kind: short
    prompt: Which network driver does a container get by default?
    answers: [bridge]
    explanation: Without --network, a container joins the default bridge network.
---

Text.
`;

beforeAll(async () => {
  receiver = await startReceiver();
  runner = await startEngineless({
    name: 'webhooks-api',
    lessons: { '01-basics/01-networks.mdx': LESSON },
    instructors: { wanda: 'wanda-password-1', otto: 'otto-password-12' },
    env: { SLIPWAY_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1' },
  });
}, 60_000);
afterAll(async () => {
  await runner?.close();
  await receiver?.close();
});

describe('a class’s webhooks', () => {
  let wanda = '';
  let classId = '';
  let joinCode = '';
  let hookId = '';
  let secret = '';

  it('an instructor registers a receiver and sees the secret once', async () => {
    wanda = await login('wanda', 'wanda-password-1');
    ({ id: classId, joinCode } = await (
      await call('POST', '/api/instructor/classes', wanda, { name: 'Net', modules: ['basics'] })
    ).json());
    const created = await call('POST', `/api/instructor/classes/${classId}/webhooks`, wanda, {
      url: receiver.url,
      events: ['question.answered', 'task.passed', 'task.passed'],
    });
    expect(created.status).toBe(201);
    const body = await created.json();
    ({ id: hookId, secret } = body);
    expect(body).toMatchObject({
      url: receiver.url,
      events: ['question.answered', 'task.passed'],
      paused: null,
    });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const list = await (
      await call('GET', `/api/instructor/classes/${classId}/webhooks`, wanda)
    ).json();
    expect(list.subscriptions.map((s: { id: string }) => s.id)).toEqual([hookId]);
    expect(JSON.stringify(list)).not.toContain(secret.slice(6, 20));
  });

  it('refuses what is not http(s), and the platform’s own networks not allowed', async () => {
    const cases: Array<[string, number, string]> = [
      ['ftp://127.0.0.1/x', 400, 'BAD_REQUEST'],
      ['http://127.0.0.2:9/x', 400, 'WEBHOOK_URL_REFUSED'],
      ['http://[::1]:9/x', 400, 'WEBHOOK_URL_REFUSED'],
      ['http://169.254.169.254/latest/meta-data', 400, 'WEBHOOK_URL_REFUSED'],
      ['http://user:pw@127.0.0.1:9/x', 400, 'WEBHOOK_URL_REFUSED'],
    ];
    for (const [target, status, code] of cases) {
      const r = await call('POST', `/api/instructor/classes/${classId}/webhooks`, wanda, {
        url: target,
        events: ['task.passed'],
      });
      expect(r.status, target).toBe(status);
      expect(await errorOf(r), target).toBe(code);
    }
    const none = await call('POST', `/api/instructor/classes/${classId}/webhooks`, wanda, {
      url: receiver.url,
      events: [],
    });
    expect(none.status).toBe(400);
  });

  it('delivers a signed question.answered event, logged with its attempt', async () => {
    const learner = cookieOf(await call('POST', '/api/learner', ''));
    await call('POST', '/api/join', learner, { code: joinCode, displayName: 'Lena' });
    await call('POST', '/api/questions/default-driver/answer', learner, { text: 'bridge' });
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1));
    const got = receiver.received[0]!;
    expect(verifyWebhook(secret, got.headers, got.body)).toEqual({ ok: true });
    expect(JSON.parse(got.body)).toMatchObject({
      type: 'question.answered',
      class: { id: classId, name: 'Net' },
      learner: { displayName: 'Lena' },
      question: { id: 'default-driver', correct: true, attempts: 1 },
    });
    await vi.waitFor(async () => {
      const log = await (
        await call('GET', `/api/instructor/classes/${classId}/webhooks/deliveries`, wanda)
      ).json();
      expect(log.deliveries[0]).toMatchObject({
        subscriptionId: hookId,
        eventId: got.headers['webhook-id'],
        type: 'question.answered',
        status: 'delivered',
        attempts: 1,
        responseCode: 204,
      });
    });
  });

  it('another instructor and a learner reach none of it', async () => {
    const otto = await login('otto', 'otto-password-12');
    const learner = cookieOf(await call('POST', '/api/learner', ''));
    const base = `/api/instructor/classes/${classId}/webhooks`;
    const routes: Array<[string, string, unknown?]> = [
      ['GET', base],
      ['POST', base, { url: receiver.url, events: ['task.passed'] }],
      ['DELETE', `${base}/${hookId}`],
      ['POST', `${base}/${hookId}/resume`],
      ['GET', `${base}/deliveries`],
      ['POST', `${base}/deliveries/1/redeliver`],
    ];
    for (const [method, path, body] of routes) {
      const asOtto = await call(method, path, otto, body);
      expect(asOtto.status, `${method} ${path} as another instructor`).toBe(404);
      expect(await errorOf(asOtto)).toBe('CLASS_NOT_FOUND');
      for (const cookie of [learner, '']) {
        const r = await call(method, path, cookie, body);
        expect(r.status, `${method} ${path} as a learner`).toBe(401);
      }
    }
    // Their own class does not open anyone else's webhook either.
    const own = await (
      await call('POST', '/api/instructor/classes', otto, { name: 'Otto', modules: ['basics'] })
    ).json();
    const foreign = await call(
      'DELETE',
      `/api/instructor/classes/${own.id}/webhooks/${hookId}`,
      otto,
    );
    expect(foreign.status).toBe(404);
    expect(await errorOf(foreign)).toBe('WEBHOOK_NOT_FOUND');
    const redeliver = await call(
      'POST',
      `/api/instructor/classes/${own.id}/webhooks/deliveries/1/redeliver`,
      otto,
    );
    expect(redeliver.status).toBe(404);
  });

  it('redelivers on request, and deletes', async () => {
    const base = `/api/instructor/classes/${classId}/webhooks`;
    const log = await (await call('GET', `${base}/deliveries`, wanda)).json();
    const again = await call('POST', `${base}/deliveries/${log.deliveries[0].id}/redeliver`, wanda);
    expect(again.status).toBe(202);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(2));
    expect(receiver.received[1]!.headers['webhook-id']).toBe(
      receiver.received[0]!.headers['webhook-id'],
    );
    expect((await call('DELETE', `${base}/${hookId}`, wanda)).status).toBe(200);
    expect((await call('DELETE', `${base}/${hookId}`, wanda)).status).toBe(404);
    expect((await (await call('GET', `${base}/deliveries`, wanda)).json()).deliveries).toEqual([]);
  });
});
