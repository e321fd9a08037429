import { describe, expect, it } from 'vitest';
import { slipwayError } from '../errors/catalogue.ts';
import type { SandboxInfo } from '../sandbox/provider.ts';
import { sandboxFate } from './shell-liveness.ts';

const info = (over: Partial<SandboxInfo>): SandboxInfo => ({
  id: 'sbx',
  labels: { instance: 'i', learner: 'l', lab: 'lab', session: 's' },
  state: 'running',
  createdAt: new Date(),
  ...over,
});

/** An engine that answers with these results in turn (an error is thrown). */
const engineAnswering = (...answers: Array<SandboxInfo | undefined | Error>) => ({
  asked: 0,
  async inspect() {
    const a = answers[Math.min(this.asked++, answers.length - 1)];
    if (a instanceof Error) throw a;
    return a;
  },
});

describe('sandboxFate', () => {
  it('gives a running sandbox a new shell', async () => {
    expect(await sandboxFate(engineAnswering(info({})), 'sbx', () => false)).toEqual({
      kind: 'respawn',
    });
  });

  it('says in words why a sandbox is gone', async () => {
    const oom = info({ state: 'stopped', exit: { code: 137, oomKilled: true } });
    expect(await sandboxFate(engineAnswering(oom), 'sbx', () => false)).toEqual({
      kind: 'gone',
      detail: 'it ran out of memory',
    });
    const exited = info({ state: 'stopped', exit: { code: 2, oomKilled: false } });
    expect(await sandboxFate(engineAnswering(exited), 'sbx', () => false)).toEqual({
      kind: 'gone',
      detail: 'it exited with code 2',
    });
    expect(await sandboxFate(engineAnswering(undefined), 'sbx', () => false)).toEqual({
      kind: 'gone',
      detail: 'it was removed',
    });
  });

  it("prefers the provider's own reason (a machine that stopped answering)", async () => {
    const lost = info({
      state: 'stopped',
      exit: { code: -1, oomKilled: false, error: 'its machine (n3) stopped answering' },
    });
    expect(await sandboxFate(engineAnswering(lost), 'sbx', () => false)).toEqual({
      kind: 'gone',
      detail: 'its machine (n3) stopped answering',
    });
  });

  it('asks again while the engine itself is away, then believes its answer', async () => {
    const engine = engineAnswering(
      slipwayError('ENGINE_UNAVAILABLE', { detail: 'restarting' }),
      info({}),
    );
    expect(await sandboxFate(engine, 'sbx', () => false)).toEqual({ kind: 'respawn' });
    expect(engine.asked).toBe(2);
  });

  it('stops asking once the session is closed', async () => {
    expect(await sandboxFate(engineAnswering(info({})), 'sbx', () => true)).toEqual({
      kind: 'closed',
    });
  });
});
