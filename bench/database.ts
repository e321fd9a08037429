/**
 * The progress database's write rate: every check result is one transaction, made durable
 * (WAL, synchronous=FULL) before it is acknowledged. Measured on a real SQLite file in this
 * machine's data folder, beside the same rows written in one transaction (one fsync for all):
 * what durability per attempt costs, and so how many check results a second one runner's
 * database takes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../lab-runner/src/progress/database.ts';
import { ProgressStore } from '../lab-runner/src/progress/progress-store.ts';
import type { BenchRow } from './lib.ts';

export function databaseBench(o: { writes: number; log: (s: string) => void }): BenchRow[] {
  const dir = mkdtempSync(join(process.env.BENCH_DB_DIR ?? tmpdir(), 'slipway-bench-db-'));
  try {
    const db = openDatabase(join(dir, 'slipway.db'));
    const store = new ProgressStore(db);
    const attempt = (i: number) => ({
      learnerId: `learner-${i % 500}`.padEnd(22, 'x'),
      labId: 'first-containers',
      taskId: 'run-web',
      passed: false,
      reason: 'There is no container named "web" yet.',
      trigger: 'poll' as const,
      durationMs: 40,
      at: new Date(),
    });
    for (let i = 0; i < 500; i++) store.touchLearner(attempt(i).learnerId);
    let t0 = performance.now();
    for (let i = 0; i < o.writes; i++) store.recordAttempt(attempt(i));
    const each = o.writes / ((performance.now() - t0) / 1000);
    t0 = performance.now();
    db.exec('BEGIN');
    const insert = db.prepare(
      `INSERT INTO check_attempts (learner_id, lab_id, task_id, passed, reason, trigger, duration_ms, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < o.writes; i++) {
      const a = attempt(i);
      insert.run(
        a.learnerId,
        a.labId,
        a.taskId,
        0,
        a.reason,
        a.trigger,
        a.durationMs,
        a.at.toISOString(),
      );
    }
    db.exec('COMMIT');
    const batched = o.writes / ((performance.now() - t0) / 1000);
    db.close();
    const row: BenchRow = {
      figure: `Progress database: check results recorded per second (${o.writes}, each its own durable transaction)`,
      slipway: `${Math.round(each)}/s`,
      baseline: `the same rows in one transaction: ${Math.round(batched)}/s`,
      ratio: `${(each / batched).toFixed(3)}×`,
    };
    o.log(`  ${row.figure}: ${row.slipway} | ${row.baseline}`);
    return [row];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
