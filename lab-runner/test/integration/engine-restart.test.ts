import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineSocket } from './engine.ts';
import { RunnerProcess } from './runner-process.ts';

/**
 * Slipway's Docker engine restarts (an upgrade, a crash) in the middle of a session. It runs
 * with --live-restore, so sandboxes keep running; the runner must ride out the gap: the
 * page stays connected, the terminal comes back on the same shell, nothing is lost.
 */
const root = join(import.meta.dirname, '../../..');
const runner = new RunnerProcess({ prefix: 'it-engine' });
let cookie: string;

beforeAll(async () => {
  await runner.start();
  cookie = await runner.newLearner();
});
afterAll(() => runner.dispose());

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('engine restart', () => {
  it('the sandbox, its shell and the progress survive a restart of the engine', async () => {
    const a = runner.labSocket(cookie);
    await a.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
    await a.waitForScreen('learner@first-containers');
    a.type('docker run -d --name web -p 8080:80 nginx\r');
    await a.waitFor(
      (m) => m.type === 'task' && m.task.id === 'run-web' && m.task.state === 'passed',
      60_000,
    );
    a.type('sleep 4343 & echo "pids: $$ $! end$((1+1))"\r');
    await a.waitForScreen('end2');
    const [, shell, job] = /pids: (\d+) (\d+) end2/.exec(a.screen) ?? [];
    expect(job).toBeDefined();
    const before = a.screen.length;

    // Stop the engine by its pid, wait until it is gone, start it again as `make up` would.
    const pid = Number(readFileSync(join(dirname(engineSocket), 'dockerd.pid'), 'utf8').trim());
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 120 && alive(pid); i++) await new Promise((r) => setTimeout(r, 250));
    expect(alive(pid)).toBe(false);
    execFileSync('bash', ['scripts/ensure-engine.sh'], { cwd: root, stdio: 'pipe' });

    // The terminal comes back by itself (slipway-tty redraws the prompt when it is reattached)...
    const until = Date.now() + 90_000;
    while (!a.screen.slice(before).includes('learner@first-containers') && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    expect(a.screen.slice(before)).toContain('learner@first-containers');
    // ...on the same shell, its job still running; progress intact.
    a.type(`echo "again=$$"; kill -0 ${job} && echo job-$((2+3))-alive\r`);
    await a.waitForScreen(`again=${shell}`);
    await a.waitForScreen('job-5-alive');
    a.type('curl -s -o /dev/null -w "web=%{http_code}\\n" http://localhost:8080\r');
    await a.waitForScreen('web=200');
    const progress = (await (
      await fetch(`${runner.url}/api/labs/first-containers`, { headers: { cookie } })
    ).json()) as { progress: Array<{ id: string; state: string }> };
    expect(progress.progress.find((t) => t.id === 'run-web')?.state).toBe('passed');
    a.close();
  }, 240_000);
});
