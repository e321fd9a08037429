import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from './database.ts';
import { migrations } from './migrations.ts';
import { ProgressStore } from './progress-store.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-db-'));
  file = join(dir, 'data', 'slipway.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const attempt = (passed: boolean, at: string, reason?: string) => ({
  learnerId: 'L1',
  labId: 'lab',
  taskId: 'task',
  passed,
  reason,
  trigger: 'poll' as const,
  durationMs: 12,
  at: new Date(at),
});

describe('ProgressStore on a real SQLite file', () => {
  it('creates the file in WAL mode with every migration applied once', () => {
    const db = openDatabase(file);
    expect((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe(
      'wal',
    );
    expect((db.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous).toBe(2);
    expect(migrate(db)).toBe(0);
    const versions = db
      .prepare('SELECT version FROM schema_migrations ORDER BY version')
      .all() as Array<{ version: number }>;
    expect(versions.map((v) => v.version)).toEqual(migrations.map((m) => m.version));
    db.close();
  });

  it('keeps a completed task completed, with its first completion time', () => {
    const db = openDatabase(file);
    const store = new ProgressStore(db);
    store.touchLearner('L1');
    expect(store.recordAttempt(attempt(false, '2026-01-01T10:00:00Z', 'no web'))).toBe(false);
    expect(store.recordAttempt(attempt(true, '2026-01-01T10:01:00Z'))).toBe(true);
    expect(store.recordAttempt(attempt(true, '2026-01-01T10:02:00Z'))).toBe(false);
    store.recordAttempt(attempt(false, '2026-01-01T10:03:00Z', 'web was removed'));
    expect(store.completions('L1', 'lab')).toEqual([
      { taskId: 'task', completedAt: '2026-01-01T10:01:00.000Z' },
    ]);
    expect(store.attemptCount('L1', 'lab')).toBe(4);
    db.close();
  });

  it('still has everything after the file is closed and opened again', () => {
    let db = openDatabase(file);
    let store = new ProgressStore(db);
    store.touchLearner('L1');
    store.recordAttempt(attempt(true, '2026-01-01T10:01:00Z'));
    store.recordLearnerEvent({ learnerId: 'L1', labId: 'lab', taskId: 'task', kind: 'hint' });
    db.close();
    db = openDatabase(file);
    store = new ProgressStore(db);
    expect(store.learnerExists('L1')).toBe(true);
    expect(store.completions('L1', 'lab')).toHaveLength(1);
    expect(store.learnerEvents('L1', 'lab').map((e) => e.kind)).toEqual(['hint']);
    db.close();
  });

  it('returns the latest attempt per task', () => {
    const db = openDatabase(file);
    const store = new ProgressStore(db);
    store.touchLearner('L1');
    store.recordAttempt(attempt(false, '2026-01-01T10:00:00Z', 'first'));
    store.recordAttempt(attempt(false, '2026-01-01T10:01:00Z', 'second'));
    expect(store.lastAttempts('L1', 'lab')).toEqual([
      { taskId: 'task', passed: false, reason: 'second', at: '2026-01-01T10:01:00.000Z' },
    ]);
    db.close();
  });

  it('tracks live sandboxes until they end', () => {
    const db = openDatabase(file);
    const store = new ProgressStore(db);
    store.touchLearner('L1');
    store.sandboxStarted({
      sessionId: 's1',
      learnerId: 'L1',
      labId: 'lab',
      sandboxId: 'slipway-sbx-s1',
    });
    expect(store.liveSandbox('L1', 'lab')).toEqual({
      sessionId: 's1',
      sandboxId: 'slipway-sbx-s1',
    });
    store.sandboxEnded('s1', 'reset');
    expect(store.liveSandbox('L1', 'lab')).toBeUndefined();
    db.close();
  });

  it('names the sandbox that ended last, the later one when two end in the same millisecond', () => {
    const db = openDatabase(file);
    const store = new ProgressStore(db);
    store.touchLearner('L1');
    const at = new Date('2026-11-23T10:00:00.000Z');
    for (const id of ['died', 'reset']) {
      store.sandboxStarted({ sessionId: id, learnerId: 'L1', labId: 'lab', sandboxId: id }, at);
      store.sandboxEnded(id, `${id} reason`, at);
    }
    expect(store.lastEndedSandbox('L1', 'lab')).toEqual({
      sessionId: 'reset',
      endReason: 'reset reason',
    });
    db.close();
  });

  it('rolls a failing migration back and names it', () => {
    const db = openDatabase(':memory:');
    db.exec('DROP TABLE learner_events');
    db.exec('DROP TABLE lesson_views');
    db.exec('DELETE FROM schema_migrations WHERE version >= 2');
    db.exec('CREATE TABLE learner_events (x)');
    expect(() => migrate(db)).toThrow(/migration 2 \(learner events \(hints opened\)\) failed/);
    // Nothing after the failed migration ran.
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE name = 'lesson_views'").get(),
    ).toBeUndefined();
    db.close();
  });
});
