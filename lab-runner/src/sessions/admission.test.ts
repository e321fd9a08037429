import { describe, expect, it } from 'vitest';
import { Admission, estimateWaitMs, type QueueUpdate } from './admission.ts';

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

describe('Admission.setCapacity', () => {
  it('admits waiting starts when capacity grows, and holds new ones back when it shrinks', async () => {
    const a = new Admission(1);
    await a.acquire('A');
    const b = a.acquire('B');
    a.setCapacity(2);
    await expect(b).resolves.toBeTypeOf('function');
    a.setCapacity(1);
    expect(a.tryAcquire('C')).toBeUndefined();
    expect(a.capacity).toBe(1);
  });
});
