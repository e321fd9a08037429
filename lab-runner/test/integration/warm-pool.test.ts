import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine, type Leftovers, leftovers } from './engine.ts';
import { RunnerProcess } from './runner-process.ts';

/**
 * The warm pool on a real runner and engine: a ready sandbox waits for the lab, a learner's
 * Start gets it without creating anything, the pool refills, and a runner killed with -9
 * finds both the learner's (pool-labelled) sandbox and the new pooled one again.
 */
const runner = new RunnerProcess({
  prefix: 'it-pool',
  env: { SLIPWAY_WARM_POOL: 'first-containers=1', SLIPWAY_MAX_SANDBOXES: '4' },
});

async function sandboxes(): Promise<Array<{ id: string; learner: string }>> {
  const list = await engine.listContainers({
    all: true,
    filters: { label: [`slipway.instance=${runner.instance}`, 'slipway.kind=sandbox'] },
  });
  return list.map((c) => ({ id: c.Id, learner: c.Labels['slipway.learner'] ?? '' }));
}

/** Waits until the runner's log says `n` pooled sandboxes have become ready. */
async function pooledReady(n: number, timeoutMs = 180_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((runner.log.match(/warm pool sandbox ready/g) ?? []).length < n) {
    if (Date.now() > until) throw new Error(`pool not ready:\n${runner.log.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(() => runner.start());
afterAll(() => runner.dispose());

describe('warm pool', () => {
  it('hands a ready sandbox to the first learner, refills, and survives kill -9', async () => {
    await pooledReady(1);
    const [pooled] = await sandboxes();
    expect(pooled?.learner).toBe('~pool');

    const cookie = await runner.newLearner();
    const a = runner.labSocket(cookie);
    await a.waitFor((m) => m.type === 'status' && m.phase === 'ready', 60_000);
    // Nothing was created or loaded for this learner: the phases of a cold start never showed.
    const phases = a.messages.flatMap((m) => (m.type === 'status' ? [m.phase] : []));
    expect(phases).not.toContain('creating');
    expect(phases).not.toContain('loading-images');
    await a.waitForScreen('learner@first-containers');
    a.type('echo "shell=$$ n=$((6*7))"\r');
    await a.waitForScreen('n=42');
    const [, shell] = /shell=(\d+)/.exec(a.screen) ?? [];
    // The shell was started by the pool before anyone came (slipway-tty -n); Start only attached.
    a.type(
      'echo "prepared=$(ps -eo args | grep -c \'^slipway-tty -n /run/slipway/tty/shell.sock\')"\r',
    );
    await a.waitForScreen('prepared=1');

    // Its sandbox is the one that was pooled; a new one is prepared for the next learner.
    await pooledReady(2);
    const after = await sandboxes();
    expect(after.map((s) => s.id)).toContain(pooled!.id);
    expect(after).toHaveLength(2);

    // Checks run against the pooled sandbox like any other.
    a.type('docker run -d --name web -p 8080:80 nginx\r');
    await a.waitFor(
      (m) => m.type === 'task' && m.task.id === 'run-web' && m.task.state === 'passed',
      60_000,
    );

    await runner.stop('SIGKILL');
    await runner.start();
    const b = runner.labSocket(cookie);
    await b.waitFor((m) => m.type === 'status' && m.phase === 'ready', 60_000);
    b.type('echo "again=$$"\r');
    await b.waitForScreen(`again=${shell}`);
    // Both sandboxes were adopted, none replaced.
    expect((await sandboxes()).map((s) => s.id).sort()).toEqual(after.map((s) => s.id).sort());

    // A reset throws the learner's sandbox away (found through the database, not its labels).
    const reset = await fetch(`${runner.url}/api/labs/first-containers/reset`, {
      method: 'POST',
      headers: { cookie, origin: runner.url },
    });
    expect(reset.ok).toBe(true);
    const left = await sandboxes();
    expect(left.map((s) => s.id)).not.toContain(pooled!.id);
    expect(left).toHaveLength(1);
    a.close();
    b.close();
  });

  it('removes pooled sandboxes that are no longer wanted when the setting changes', async () => {
    await runner.stop('SIGTERM');
    expect(await sandboxes()).toHaveLength(1);
    runner.env.SLIPWAY_WARM_POOL = '0';
    await runner.start();
    const until = Date.now() + 30_000;
    const empty = (l: Leftovers) => Object.values(l).every((list) => list.length === 0);
    while (!empty(await leftovers(runner.instance)) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await leftovers(runner.instance)).toEqual({ containers: [], networks: [], volumes: [] });
  });
});
