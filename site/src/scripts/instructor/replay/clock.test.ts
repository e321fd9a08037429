import { describe, expect, it } from 'vitest';
import { PlaybackClock, SPEEDS } from './clock.ts';

function fakeTime() {
  let now = 1000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('PlaybackClock', () => {
  it('moves only while playing, at its speed', () => {
    const time = fakeTime();
    const c = new PlaybackClock(60, time.now);
    time.advance(5000);
    expect(c.position()).toBe(0);
    c.play();
    time.advance(2000);
    expect(c.position()).toBe(2);
    c.setSpeed(4);
    time.advance(1000);
    expect(c.position()).toBe(6);
    c.pause();
    time.advance(10_000);
    expect(c.position()).toBe(6);
  });

  it('stops at the end, and playing again starts over', () => {
    const time = fakeTime();
    const c = new PlaybackClock(10, time.now);
    c.play();
    time.advance(20_000);
    expect(c.position()).toBe(10);
    expect(c.ended).toBe(true);
    c.pause();
    c.play();
    expect(c.position()).toBe(0);
  });

  it('seeks within the recording while playing or paused', () => {
    const time = fakeTime();
    const c = new PlaybackClock(10, time.now);
    c.seek(4);
    expect(c.position()).toBe(4);
    c.play();
    time.advance(500);
    c.seek(-3);
    expect(c.position()).toBe(0);
    c.seek(99);
    expect(c.position()).toBe(10);
  });

  it('says how long until a moment at the current speed', () => {
    const time = fakeTime();
    const c = new PlaybackClock(10, time.now);
    expect(c.msUntil(5)).toBe(Number.POSITIVE_INFINITY);
    c.setSpeed(2);
    c.play();
    expect(c.msUntil(5)).toBe(2500);
  });

  it('offers the player speeds', () => {
    expect(SPEEDS).toEqual([0.5, 1, 2, 4, 8]);
  });
});
