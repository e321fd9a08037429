import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../src/protocol/index.ts';
import { RunnerProcess } from './runner-process.ts';

/**
 * Limits on a real sandbox: a learner near the process limit is told which limit it is; one
 * who fills the disk past the budget is warned, and past 1.25 times it the sandbox stops with
 * their completed tasks kept.
 */
const runner = new RunnerProcess({
  prefix: 'it-limits',
  env: { SLIPWAY_SANDBOX_PIDS: '300', SLIPWAY_SANDBOX_DISK: '1g', SLIPWAY_LIMIT_SWEEP_MS: '500' },
});

type Limits = Extract<ServerMessage, { type: 'limits' }>;
const isLimits = (kind: string) => (m: ServerMessage) =>
  m.type === 'limits' && m.limits.some((l) => l.kind === kind);

beforeAll(() => runner.start());
afterAll(() => runner.dispose());

describe('sandbox limits', () => {
  it('names the limit a learner is at, and stops a sandbox far past its disk budget', async () => {
    const cookie = await runner.newLearner();
    const a = runner.labSocket(cookie);
    await a.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
    await a.waitForScreen('learner@first-containers');

    a.type('for i in $(seq 250); do sleep 600 & done; echo started-$((125+125))\r');
    await a.waitForScreen('started-250');
    const pids = (await a.waitFor(isLimits('pids'), 30_000)) as Limits;
    expect(pids.limits.find((l) => l.kind === 'pids')?.message).toMatch(
      /^Your sandbox is running \d+ of at most 300 processes; new ones fail with "Resource temporarily unavailable"/,
    );
    a.type('kill $(jobs -p); echo killed-$((2*3))\r');
    await a.waitForScreen('killed-6');
    await a.waitFor((m) => m.type === 'limits' && m.limits.length === 0, 30_000);

    // Fill the inner engine's disk in steps until the budget is passed, then past the hard limit.
    let warned: Limits | undefined;
    for (let i = 0; i < 8 && !warned; i++) {
      a.type(`fallocate -l 160m /var/lib/docker/fill-${i}\r`);
      warned = (await a.waitFor(isLimits('disk'), 3_000).catch(() => undefined)) as
        | Limits
        | undefined;
    }
    expect(warned?.limits.find((l) => l.kind === 'disk')?.message).toMatch(
      /^Your sandbox uses [\d.]+ GiB of disk, over its budget of 1\.0 GiB\. Free some/,
    );
    a.type('fallocate -l 400m /var/lib/docker/fill-big\r');
    const stopped = await a.waitFor((m) => m.type === 'status' && m.phase === 'stopped', 30_000);
    expect(stopped).toMatchObject({
      message: expect.stringMatching(
        /^Your sandbox was stopped: it used [\d.]+ GiB of disk, past its limit of 1\.3 GiB\. Your completed tasks are kept/,
      ),
    });
    a.close();
  });
});
