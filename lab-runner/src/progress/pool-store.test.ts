import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { PoolStore } from './pool-store.ts';
import { ProgressStore } from './progress-store.ts';

function stores() {
  const db = openDatabase(':memory:');
  return { pool: new PoolStore(db), store: new ProgressStore(db) };
}

const row = { sessionId: 's1', labId: 'lab', sandboxId: 'c1', createdAt: '2026-01-01T00:00:00Z' };

describe('PoolStore', () => {
  it('keeps pooled sandboxes live for the reaper, owned by nobody', () => {
    const { pool, store } = stores();
    pool.add(row);
    expect(store.liveSessions()).toEqual(['s1']);
    expect(store.sandboxOwner('s1')).toBeUndefined();
    expect(pool.all()).toEqual([row]);
  });

  it('moves a claimed sandbox to the learner in one step, and only once', () => {
    const { pool, store } = stores();
    store.touchLearner('ada');
    store.touchLearner('bo');
    pool.add(row);
    expect(pool.claim('s1', 'ada')).toBe(true);
    expect(pool.claim('s1', 'bo')).toBe(false);
    expect(pool.all()).toEqual([]);
    expect(store.sandboxOwner('s1')).toEqual({ learnerId: 'ada', labId: 'lab' });
    expect(store.liveSandbox('ada', 'lab')).toEqual({ sessionId: 's1', sandboxId: 'c1' });
    expect(store.liveSessions()).toEqual(['s1']);
  });

  it('forgets a pooled sandbox that ended', () => {
    const { pool, store } = stores();
    pool.add(row);
    store.sandboxEnded('s1', 'gone');
    expect(pool.all()).toEqual([]);
    expect(store.liveSessions()).toEqual([]);
  });
});
