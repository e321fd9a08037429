import { describe, expect, it } from 'vitest';
import { Admission, estimateWaitMs, hostCapacity, type QueueUpdate } from './admission.ts';

const GiB = 1024 ** 3;

describe('hostCapacity', () => {
  it('is bounded by memory after the reserve and by overcommitted CPU', () => {
    const sandbox = { sandboxMemBytes: 0.75 * GiB, sandboxCpus: 1 };
    expect(hostCapacity({ totalMemBytes: 24 * GiB, cpus: 2, ...sandbox })).toBe(16); // CPU
    expect(hostCapacity({ totalMemBytes: 8 * GiB, cpus: 16, ...sandbox })).toBe(8); // memory
    expect(hostCapacity({ totalMemBytes: 1 * GiB, cpus: 1, ...sandbox })).toBe(1); // at least one
  });
});

describe('estimateWaitMs', () => {
  it('is the position times the mean time between freed slots, unknown without history', () => {
    expect(estimateWaitMs(2, [60_000, 120_000])).toBe(180_000);
    expect(estimateWaitMs(1, [])).toBeUndefined();
  });
});

describe('Admission', () => {
  it('queues past capacity in arrival order and admits the head when a slot frees', async () => {
    let t = 0;
    const a = new Admission(1, () => t);
    const releaseA = await a.acquire('A');
    const updates: Record<string, QueueUpdate[]> = { B: [], C: [] };
    const order: string[] = [];
    const b = a.acquire('B', { update: (u) => updates.B!.push(u) }).then((r) => {
      order.push('B');
      return r;
    });
    const c = a.acquire('C', { update: (u) => updates.C!.push(u) }).then((r) => {
      order.push('C');
      return r;
    });
    expect(updates.B!.at(-1)).toEqual({ position: 1, capacity: 1 });
    expect(updates.C!.at(-1)).toEqual({ position: 2, capacity: 1 });

    t = 1000;
    releaseA();
    releaseA(); // twice is harmless
    const releaseB = await b;
    expect(order).toEqual(['B']);
    expect(updates.C!.at(-1)).toMatchObject({ position: 1 });
    t = 61_000;
    releaseB();
    await c;
    expect(order).toEqual(['B', 'C']);
    expect(a.inUse).toBe(1);
  });

  it('gives an estimate once slots have been freed, and lets a waiter withdraw', async () => {
    let t = 0;
    const a = new Admission(1, () => t);
    for (const key of ['x', 'y', 'z']) {
      const r = await a.acquire(key);
      t += 120_000;
      r();
    }
    await a.acquire('holder');
    const seen: QueueUpdate[] = [];
    const gone = new AbortController();
    const first = a.acquire('first', { signal: gone.signal });
    void a.acquire('second', { update: (u) => seen.push(u) });
    expect(seen.at(-1)).toEqual({ position: 2, capacity: 1, estimateMs: 240_000 });
    gone.abort(new Error('page closed'));
    await expect(first).rejects.toThrow('page closed');
    expect(seen.at(-1)).toEqual({ position: 1, capacity: 1, estimateMs: 120_000 });
  });

  it('never queues a sandbox that already runs, even past capacity', async () => {
    const a = new Admission(1);
    await a.acquire('running-1');
    await a.acquire('running-2', { force: true });
    expect(a.inUse).toBe(2);
  });
});
