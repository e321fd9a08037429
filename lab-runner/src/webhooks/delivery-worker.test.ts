import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InstructorStore } from '../accounts/instructor-store.ts';
import { ClassStore } from '../classes/class-store.ts';
import { silentLogger } from '../errors/log.ts';
import { openDatabase } from '../progress/database.ts';
import type { WebhookEventType } from '../protocol/index.ts';
import { DeliveryStore } from './delivery-store.ts';
import { DeliveryWorker, type WorkerSettings } from './delivery-worker.ts';
import { newEventId } from './outbox.ts';
import { DEFAULT_RETRY_POLICY } from './retry-policy.ts';
import { verifyWebhook } from './signature.ts';
import { SubscriptionStore } from './subscription-store.ts';
import { type Receiver, refusedUrl, startReceiver } from './test-receiver.ts';
import { parseAllowedNetworks } from './url-policy.ts';

let dir: string;
let db: DatabaseSync;
let subs: SubscriptionStore;
let deliveries: DeliveryStore;
let classId: string;
const workers: DeliveryWorker[] = [];
const receivers: Receiver[] = [];

const settings = (over: Partial<WorkerSettings> = {}): WorkerSettings => ({
  timeoutMs: 60_000,
  concurrency: 2,
  allowed: parseAllowedNetworks('127.0.0.1'),
  retentionMs: 7 * 86_400_000,
  ...over,
  policy: { ...DEFAULT_RETRY_POLICY, baseMs: 20, ...over.policy },
});
function worker(over: Partial<WorkerSettings> = {}): DeliveryWorker {
  const w = new DeliveryWorker({
    deliveries,
    subscriptions: subs,
    logger: silentLogger,
    settings: settings(over),
  });
  workers.push(w);
  w.start();
  return w;
}
async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}
function event(type: WebhookEventType = 'task.passed', n = 0) {
  const id = newEventId();
  const queued = deliveries.record({
    id,
    type,
    classId,
    body: JSON.stringify({ id, type, n }),
    occurredAt: new Date().toISOString(),
  });
  return { id, queued };
}
const statusOf = (id: string) => deliveries.recent(classId, 500).filter((d) => d.eventId === id);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-webhooks-'));
  db = openDatabase(join(dir, 'slipway.db'));
  const me = new InstructorStore(db).create('ines', 'not-a-real-hash');
  classId = new ClassStore(db).create(me.id, 'Docker 101', ['docker-fundamentals']).id;
  subs = new SubscriptionStore(db);
  deliveries = new DeliveryStore(db);
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the delivery worker', () => {
  it('sends a signed event, retries a 500 with back-off, and logs both attempts', async () => {
    const r = await receiver((n) => (n === 0 ? 500 : 200));
    const { secret } = subs.create(classId, r.url, ['task.passed']);
    worker();
    const { id, queued } = event();
    expect(queued).toBe(1);
    await vi.waitFor(() => expect(statusOf(id)[0]?.status).toBe('delivered'));
    expect(r.received).toHaveLength(2);
    for (const got of r.received) {
      expect(got.headers['webhook-id']).toBe(id);
      expect(verifyWebhook(secret, got.headers, got.body)).toEqual({ ok: true });
    }
    const [d] = statusOf(id);
    expect(d).toMatchObject({ attempts: 2, responseCode: 200, lastError: null });
    expect(d!.log.map((a) => [a.responseCode, a.error])).toEqual([
      [500, 'HTTP 500: answer 500'],
      [200, null],
    ]);
    expect(r.received[1]!.at - r.received[0]!.at).toBeGreaterThanOrEqual(10);
  });

  it('gives up after the last attempt and marks the delivery failed', async () => {
    const r = await receiver(() => 503);
    subs.create(classId, r.url, ['task.passed']);
    worker({ policy: { ...DEFAULT_RETRY_POLICY, baseMs: 10, factor: 1, maxAttempts: 3 } });
    const { id } = event();
    await vi.waitFor(() => expect(statusOf(id)[0]?.status).toBe('failed'));
    expect(statusOf(id)[0]).toMatchObject({ attempts: 3, responseCode: 503 });
    expect(r.received).toHaveLength(3);
  });

  it('sends only the types an endpoint asked for', async () => {
    const r = await receiver();
    subs.create(classId, r.url, ['lab.completed']);
    worker();
    expect(event('task.passed').queued).toBe(0);
    const { id } = event('lab.completed');
    await vi.waitFor(() => expect(statusOf(id)[0]?.status).toBe('delivered'));
    expect(r.received.map((x) => JSON.parse(x.body).type)).toEqual(['lab.completed']);
  });

  it('pauses an endpoint at a 410 Gone, holds its deliveries, and sends them on resume', async () => {
    let gone = true;
    const r = await receiver(() => (gone ? 410 : 200));
    const { subscription } = subs.create(classId, r.url, ['task.passed']);
    worker();
    const first = event();
    await vi.waitFor(() => expect(subs.get(subscription.id)?.paused).not.toBeNull());
    expect(subs.get(subscription.id)?.paused?.reason).toBe('the endpoint answered 410 Gone');
    expect(statusOf(first.id)[0]?.status).toBe('failed');
    const held = event();
    expect(held.queued).toBe(1);
    gone = false;
    // Paused: nothing is sent, however long one waits for it.
    await new Promise((res) => setImmediate(res));
    expect(r.received).toHaveLength(1);
    subs.resume(subscription.id);
    workers[0]!.wake();
    await vi.waitFor(() => expect(statusOf(held.id)[0]?.status).toBe('delivered'));
    expect(deliveries.redeliver(classId, statusOf(first.id)[0]!.id)).toBe(true);
    workers[0]!.wake();
    await vi.waitFor(() => expect(statusOf(first.id)[0]?.status).toBe('delivered'));
    expect(statusOf(first.id)[0]!.log.map((a) => a.responseCode)).toEqual([410, 200]);
  });

  it('pauses an endpoint that keeps failing, and refuses internal addresses not allowed', async () => {
    const { subscription } = subs.create(classId, await refusedUrl(), ['task.passed']);
    // Only 127.0.0.1 is allowed here: another loopback address is not.
    const other = subs.create(classId, 'http://127.0.0.2:9/hook', ['task.passed']);
    worker({ policy: { ...DEFAULT_RETRY_POLICY, baseMs: 5, factor: 1, pauseAfter: 4 } });
    const { id } = event();
    await vi.waitFor(() => expect(subs.get(subscription.id)?.paused).not.toBeNull());
    expect(subs.get(subscription.id)?.paused?.reason).toBe('4 attempts in a row failed');
    const [refused, literal] = [subscription, other.subscription].map(
      (s) => statusOf(id).find((d) => d.subscriptionId === s.id)!,
    );
    expect(refused!.lastError).toBe('connection refused');
    expect(literal!.lastError).toMatch(/^not sent: it leads to 127\.0\.0\.2, an address inside/);
  });

  it('a dead endpoint never slows the platform, and a restart loses no delivery', async () => {
    const dead = await receiver(() => 'hang');
    const healthy = await receiver();
    subs.create(classId, dead.url, ['task.passed']);
    subs.create(classId, await refusedUrl(), ['task.passed']);
    subs.create(classId, healthy.url, ['task.passed']);
    // An attempt at the dead endpoint would take a minute; recording never waits for one.
    worker({ timeoutMs: 60_000 });
    const slowest = { ms: 0 };
    for (let n = 0; n < 40; n++) {
      const t = performance.now();
      expect(event('task.passed', n).queued).toBe(3);
      slowest.ms = Math.max(slowest.ms, performance.now() - t);
    }
    expect(slowest.ms).toBeLessThan(1_000);
    // The healthy endpoint gets every event while the dead one holds only its own two slots.
    await vi.waitFor(() => expect(healthy.received).toHaveLength(40), { timeout: 20_000 });
    expect(dead.hanging()).toBe(2);
    expect(dead.received).toHaveLength(2);

    // The runner stops: the two attempts in flight are given back, not counted.
    await workers[0]!.close();
    const pending = deliveries.recent(classId, 500).filter((d) => d.url === dead.url);
    expect(pending.every((d) => d.status === 'pending' && d.log.length === 0)).toBe(true);
    // ... and after a restart, with the endpoint back, all forty arrive.
    const back = await receiver();
    db.prepare('UPDATE webhook_subscriptions SET url = ? WHERE url = ?').run(back.url, dead.url);
    worker();
    await vi.waitFor(() => expect(back.received).toHaveLength(40), { timeout: 20_000 });
    expect(new Set(back.received.map((x) => x.headers['webhook-id'])).size).toBe(40);
  });
});
