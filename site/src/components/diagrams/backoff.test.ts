import { describe, expect, it } from 'vitest';
import { formatDelay, restartDelays } from './backoff.ts';

describe('restartDelays (moby restartmanager)', () => {
  it('starts at 100 ms and doubles while runs stay short', () => {
    expect(restartDelays([0, 1000, 9999, 500])).toEqual([100, 200, 400, 800]);
  });

  it('never waits more than a minute', () => {
    const d = restartDelays(Array.from({ length: 14 }, () => 0));
    expect(d.slice(8)).toEqual([25_600, 51_200, 60_000, 60_000, 60_000, 60_000]);
  });

  it('goes back to 100 ms after a run of 10 seconds or more, even at the cap', () => {
    const d = restartDelays([...Array.from({ length: 12 }, () => 0), 10_000, 0]);
    expect(d.slice(10)).toEqual([60_000, 60_000, 100, 200]);
  });
});

describe('formatDelay', () => {
  it('writes milliseconds below a second and seconds above', () => {
    expect([100, 800, 1600, 12_800, 60_000].map(formatDelay)).toEqual([
      '100 ms',
      '800 ms',
      '1.6 s',
      '12.8 s',
      '60 s',
    ]);
  });
});
