import { describe, expect, it } from 'vitest';
import { busy, decideIdle } from './idle-policy.ts';

const min = 60_000;
const settings = { idleMs: 30 * min, warnMs: 5 * min, lifetimeMs: 240 * min };
const at = (minutes: number) => minutes * min;

describe('decideIdle', () => {
  it('keeps a sandbox just handed out, however long ago the learner was last active', () => {
    expect(decideIdle({ now: at(100), readyAt: at(100), lastActivityAt: 0 }, settings)).toEqual({
      action: 'keep',
    });
  });

  it('warns five minutes before the idle limit, then stops', () => {
    const c = { readyAt: 0, lastActivityAt: at(10) };
    expect(decideIdle({ ...c, now: at(34) }, settings)).toEqual({ action: 'keep' });
    expect(decideIdle({ ...c, now: at(35) }, settings)).toEqual({
      action: 'warn',
      reason: 'idle',
      stopAt: at(40),
    });
    expect(decideIdle({ ...c, now: at(40) }, settings)).toEqual({ action: 'stop', reason: 'idle' });
  });

  it('any activity moves the idle limit, but nothing moves the hard limit', () => {
    expect(decideIdle({ now: at(39), readyAt: 0, lastActivityAt: at(38) }, settings)).toEqual({
      action: 'keep',
    });
    expect(decideIdle({ now: at(236), readyAt: 0, lastActivityAt: at(235) }, settings)).toEqual({
      action: 'warn',
      reason: 'lifetime',
      stopAt: at(240),
    });
    expect(decideIdle({ now: at(240), readyAt: 0, lastActivityAt: at(240) }, settings)).toEqual({
      action: 'stop',
      reason: 'lifetime',
    });
  });
});

describe('busy', () => {
  it('counts more than a quarter of a core between two samples as work, not the checks', () => {
    expect(busy({ cpuNanos: 0, at: 0 }, { cpuNanos: 600e6, at: 1000 })).toBe(true); // 60%
    expect(busy({ cpuNanos: 0, at: 0 }, { cpuNanos: 100e6, at: 1000 })).toBe(false); // 10%
  });

  it('needs two samples, in order, from the same sandbox', () => {
    expect(busy(undefined, { cpuNanos: 5e9, at: 1000 })).toBe(false);
    expect(busy({ cpuNanos: 5e9, at: 0 }, { cpuNanos: 1e6, at: 1000 })).toBe(false); // a new sandbox
  });
});
