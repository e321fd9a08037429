import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FollowUps } from './follow-ups.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('FollowUps', () => {
  it('checks again after each delay while the task is not passed, then stops', () => {
    const round = vi.fn();
    const f = new FollowUps([2000, 6000], round);
    f.commandEntered('run-web');
    f.roundDone(() => false);
    vi.advanceTimersByTime(1999);
    expect(round).toHaveBeenCalledTimes(0);
    vi.advanceTimersByTime(1);
    expect(round).toHaveBeenCalledTimes(1);
    f.roundDone(() => false);
    vi.advanceTimersByTime(6000);
    expect(round).toHaveBeenCalledTimes(2);
    f.roundDone(() => false);
    vi.advanceTimersByTime(60_000);
    expect(round).toHaveBeenCalledTimes(2);
  });

  it('stops once the task passed, and waits for one round at a time', () => {
    const round = vi.fn();
    const f = new FollowUps([2000, 6000], round);
    f.commandEntered('run-web');
    f.roundDone(() => false);
    f.roundDone(() => false); // another round ended meanwhile: still one follow-up due
    vi.advanceTimersByTime(2000);
    expect(round).toHaveBeenCalledTimes(1);
    f.roundDone((t) => t === 'run-web');
    vi.advanceTimersByTime(60_000);
    expect(round).toHaveBeenCalledTimes(1);
  });

  it('starts over at a new command, and does nothing without one or with every task done', () => {
    const round = vi.fn();
    const f = new FollowUps([2000], round);
    f.roundDone(() => false);
    f.commandEntered(undefined);
    f.roundDone(() => false);
    vi.advanceTimersByTime(10_000);
    expect(round).toHaveBeenCalledTimes(0);
    f.commandEntered('a');
    f.roundDone(() => false);
    vi.advanceTimersByTime(1000);
    f.commandEntered('a'); // a new command before the follow-up: its schedule starts over
    vi.advanceTimersByTime(5000);
    expect(round).toHaveBeenCalledTimes(0);
    f.roundDone(() => false);
    vi.advanceTimersByTime(2000);
    expect(round).toHaveBeenCalledTimes(1);
  });
});
