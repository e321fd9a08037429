import { describe, expect, it } from 'vitest';
import { slipwayError } from '../errors/catalogue.ts';
import type { SandboxInfo } from '../sandbox/provider.ts';
import { shellFate } from './shell-liveness.ts';

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

describe('shellFate', () => {
  it('gives a running sandbox a new shell', async () => {
    expect(await shellFate(engineAnswering(info({})), 'sbx', () => false)).toEqual({
      kind: 'respawn',
    });
  });

  it('says in words why a sandbox is gone', async () => {
    const oom = info({ state: 'stopped', exit: { code: 137, oomKilled: true } });
    expect(await shellFate(engineAnswering(oom), 'sbx', () => false)).toEqual({
      kind: 'gone',
      detail: 'it ran out of memory',
    });
    const exited = info({ state: 'stopped', exit: { code: 2, oomKilled: false } });
    expect(await shellFate(engineAnswering(exited), 'sbx', () => false)).toEqual({
      kind: 'gone',
      detail: 'it exited with code 2',
    });
    expect(await shellFate(engineAnswering(undefined), 'sbx', () => false)).toEqual({
      kind: 'gone',
      detail: 'it was removed',
    });
  });

  it('asks again while the engine itself is away, then believes its answer', async () => {
    const engine = engineAnswering(
      slipwayError('ENGINE_UNAVAILABLE', { detail: 'restarting' }),
      info({}),
    );
    expect(await shellFate(engine, 'sbx', () => false)).toEqual({ kind: 'respawn' });
    expect(engine.asked).toBe(2);
  });

  it('stops asking once the session is closed', async () => {
    expect(await shellFate(engineAnswering(info({})), 'sbx', () => true)).toEqual({
      kind: 'closed',
    });
  });
});
