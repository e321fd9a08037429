import { describe, expect, it } from 'vitest';
import { PlatformWork } from './platform-work.ts';

describe('platform work in a sandbox', () => {
  it('covers the time it runs and what ended since a given moment, nothing before', async () => {
    let now = 1000;
    const work = new PlatformWork(() => now);
    expect(work.since(0)).toBe(false);
    let finish = () => {};
    const running = work.track(
      () =>
        new Promise<void>((r) => {
          finish = r;
        }),
    );
    expect(work.since(5000)).toBe(true);
    now = 2000;
    finish();
    await running;
    expect(work.since(1500)).toBe(true);
    expect(work.since(2500)).toBe(false);
  });

  it('ends its count when the work fails', async () => {
    const work = new PlatformWork(() => 10);
    await expect(work.track(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(work.since(11)).toBe(false);
  });
});
