import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftovers } from './engine.ts';
import { RunnerProcess } from './runner-process.ts';

/**
 * The idle culler on a real runner and a real sandbox, with its clocks shortened: a learner
 * who does nothing is warned, "Keep working" withdraws the warning, and a sandbox left alone
 * is stopped with its progress kept and restored on the next start.
 */
const runner = new RunnerProcess({
  prefix: 'it-idle',
  env: {
    SLIPWAY_IDLE_TIMEOUT_MS: '8000',
    SLIPWAY_IDLE_WARNING_MS: '5000',
    SLIPWAY_IDLE_SWEEP_MS: '500',
  },
});
let cookie: string;
const ws = () => runner.labSocket(cookie);

beforeAll(async () => {
  await runner.start();
  cookie = await runner.newLearner();
});
afterAll(() => runner.dispose());

type Idle = { type: 'idle'; reason: string; stopAt: string | null; message: string };

describe('idle sandboxes', () => {
  it('warns, keeps on request, then stops an idle sandbox and restores it on the next start', async () => {
    const a = ws();
    await a.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
    await a.waitForScreen('learner@first-containers');
    a.type('docker run -d --name web -p 8080:80 nginx\r');
    await a.waitFor(
      (m) => m.type === 'task' && m.task.id === 'run-web' && m.task.state === 'passed',
      60_000,
    );

    // Nothing happens: a warning with the time of the stop.
    const warned = (await a.waitFor((m) => m.type === 'idle' && m.stopAt !== null, 60_000)) as Idle;
    expect(warned.reason).toBe('idle');
    expect(Date.parse(warned.stopAt!)).toBeGreaterThan(Date.now());
    expect(warned.message).toContain('completed tasks are kept');

    // "Keep working" withdraws it at once.
    a.send({ v: 1, type: 'keep' });
    await a.waitFor((m) => m.type === 'idle' && m.stopAt === null, 10_000);

    // Left alone again, the sandbox is stopped, and says why.
    const stopped = await a.waitFor((m) => m.type === 'status' && m.phase === 'stopped', 60_000);
    expect(stopped).toMatchObject({ message: expect.stringContaining('without activity') });
    expect((await leftovers(runner.instance)).containers).toHaveLength(0);
    const progress = (await (
      await fetch(`${runner.url}/api/labs/first-containers`, { headers: { cookie } })
    ).json()) as { progress: Array<{ id: string; state: string }> };
    expect(progress.progress.find((t) => t.id === 'run-web')?.state).toBe('passed');
    a.close();

    // The next start brings a new sandbox back to the last completed task.
    const b = ws();
    await b.waitFor((m) => m.type === 'status' && m.phase === 'restoring', 120_000);
    await b.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
    await b.waitForScreen('learner@first-containers');
    b.type('docker ps --format "{{.Names}}" | grep -x web && echo web-$((6*7))\r');
    await b.waitForScreen('web-42');
    b.close();
  });
});
