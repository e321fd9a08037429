import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftovers, sandboxesOf } from './engine.ts';
import { RunnerProcess } from './runner-process.ts';

/**
 * Admission on a real runner with room for one sandbox: a second learner waits in the queue,
 * told their place, and gets a sandbox by themselves once the first one is given back.
 */
const runner = new RunnerProcess({ prefix: 'it-admit', env: { SLIPWAY_MAX_SANDBOXES: '1' } });

/** The learner holding the only slot after the first test. */
let holder = '';

beforeAll(() => runner.start());
afterAll(() => runner.dispose());

describe('admission', () => {
  it('queues a start past capacity with its position, and starts it when a slot frees', async () => {
    const ada = await runner.newLearner();
    const bo = await runner.newLearner();
    holder = bo;
    const a = runner.labSocket(ada);
    await a.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);

    const b = runner.labSocket(bo);
    const queued = await b.waitFor((m) => m.type === 'status' && m.phase === 'queued', 30_000);
    expect(queued).toMatchObject({
      message: expect.stringContaining('All 1 sandboxes are in use. You are number 1'),
    });
    // Waiting costs nothing on the host: still one sandbox.
    expect(await sandboxesOf(runner.instance)).toHaveLength(1);

    const reset = await fetch(`${runner.url}/api/labs/first-containers/reset`, {
      method: 'POST',
      headers: { cookie: ada, origin: runner.url },
    });
    expect(reset.ok).toBe(true);
    await b.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
    await b.waitForScreen('learner@first-containers');
    expect(await sandboxesOf(runner.instance)).toHaveLength(1);
    a.close();
    b.close();
  });

  it('forgets a queued start whose page was closed, and starts it again when it comes back', async () => {
    // The first test's second learner still holds the only slot.
    const leaver = await runner.newLearner();
    const l = runner.labSocket(leaver);
    await l.waitFor((m) => m.type === 'status' && m.phase === 'queued', 30_000);
    l.close();
    await l.closed;
    const state = async () =>
      (
        (await (
          await fetch(`${runner.url}/api/labs/first-containers`, { headers: { cookie: leaver } })
        ).json()) as { sandbox: { state: string } }
      ).sandbox.state;
    const until = Date.now() + 10_000;
    while ((await state()) !== 'none' && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    expect(await state()).toBe('none');

    // The slot frees; nobody waits for it, so nothing starts.
    const reset = await fetch(`${runner.url}/api/labs/first-containers/reset`, {
      method: 'POST',
      headers: { cookie: holder, origin: runner.url },
    });
    expect(reset.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await leftovers(runner.instance)).containers).toEqual([]);

    const back = runner.labSocket(leaver);
    await back.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
    back.close();
  });
});
