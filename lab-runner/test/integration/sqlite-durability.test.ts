import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/progress/database.ts';

const dir = mkdtempSync(join(tmpdir(), 'slipway-durability-'));
const file = join(dir, 'slipway.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Starts `n` writers on one SQLite file, lets them all write at once when every one is ready,
 * and kills them all with SIGKILL `ms` later; returns the acks. Starting twenty Node processes
 * on a busy 2-core machine can itself take seconds, so the writing window starts at readiness.
 */
async function round(n: number, ms: number): Promise<string[]> {
  const acks: string[] = [];
  let ready = 0;
  let allReady: () => void = () => {};
  const readiness = new Promise<void>((resolve) => {
    allReady = resolve;
  });
  const children = Array.from({ length: n }, (_, i) => {
    const c = spawn(
      process.execPath,
      [join(import.meta.dirname, 'progress-writer.ts'), file, `${ms}-${i}`],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let buf = '';
    c.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        if (l.startsWith('ack ')) acks.push(l.slice(4));
        else if (l === 'ready' && ++ready === n) allReady();
      }
    });
    c.once('exit', () => allReady()); // a writer that died is reported below, not waited for
    return c;
  });
  await Promise.race([readiness, new Promise((r) => setTimeout(r, 60_000))]);
  for (const c of children) c.stdin.write('go\n');
  await new Promise((r) => setTimeout(r, ms));
  // A writer that died by itself (e.g. "database is locked" at open) is a bug, not a fault.
  expect(children.filter((c) => c.exitCode !== null).map((c) => c.exitCode)).toEqual([]);
  expect(ready).toBe(n);
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          if (c.pid !== undefined) process.kill(c.pid, 'SIGKILL');
        }),
    ),
  );
  return acks;
}

describe('progress on a real SQLite file under kill -9', () => {
  it('loses no acknowledged completion and stays consistent, round after round', async () => {
    openDatabase(file).close(); // migrate once up front, as the runner does at start
    const acked: string[] = [];
    for (const ms of [700, 1300, 400 + Math.floor(Math.random() * 1500)])
      acked.push(...(await round(20, ms)));
    expect(acked.length).toBeGreaterThan(20);
    const db = openDatabase(file);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    const stored = new Set(
      (
        db
          .prepare("SELECT task_id AS t FROM task_completions WHERE lab_id = 'durability'")
          .all() as Array<{ t: string }>
      ).map((r) => r.t),
    );
    const lost = acked.filter((t) => !stored.has(t));
    expect(lost).toEqual([]);
    db.close();
  }, 300_000);
});
