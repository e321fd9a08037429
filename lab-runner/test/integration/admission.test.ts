import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftovers } from './engine.ts';
import { RunnerProcess } from './runner-process.ts';

/**
 * Admission on a real runner with room for one sandbox: a second learner waits in the queue,
 * told their place, and gets a sandbox by themselves once the first one is given back.
 */
const runner = new RunnerProcess({ prefix: 'it-admit', env: { SLIPWAY_MAX_SANDBOXES: '1' } });

beforeAll(() => runner.start());
afterAll(() => runner.dispose());

describe('admission', () => {
  it('queues a start past capacity with its position, and starts it when a slot frees', async () => {
    const ada = await runner.newLearner();
    const bo = await runner.newLearner();
    const a = runner.labSocket(ada);
    await a.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);

    const b = runner.labSocket(bo);
    const queued = await b.waitFor((m) => m.type === 'status' && m.phase === 'queued', 30_000);
    expect(queued).toMatchObject({
      message: expect.stringContaining('All 1 sandboxes of this host are in use. You are number 1'),
    });
    // Waiting costs nothing on the host: still one sandbox.
    expect((await leftovers(runner.instance)).containers).toHaveLength(1);

    const reset = await fetch(`${runner.url}/api/labs/first-containers/reset`, {
      method: 'POST',
      headers: { cookie: ada, origin: runner.url },
    });
    expect(reset.ok).toBe(true);
    await b.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
    await b.waitForScreen('learner@first-containers');
    expect((await leftovers(runner.instance)).containers).toHaveLength(1);
    a.close();
    b.close();
  });
});
