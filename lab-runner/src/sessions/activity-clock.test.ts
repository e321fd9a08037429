import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../protocol/index.ts';
import { ActivityClock } from './activity-clock.ts';

describe('ActivityClock', () => {
  it('sends a warning once per stop time, and withdraws an idle warning on activity', () => {
    const sent: ServerMessage[] = [];
    const c = new ActivityClock((m) => sent.push(m));
    c.start(1000);
    expect(c.read(5000)).toEqual({ now: 5000, readyAt: 1000, lastActivityAt: 1000 });
    c.warn({ action: 'warn', reason: 'idle', stopAt: 60_000 });
    c.warn({ action: 'warn', reason: 'idle', stopAt: 60_000 });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      type: 'idle',
      reason: 'idle',
      stopAt: '1970-01-01T00:01:00.000Z',
    });
    expect(c.current()).toBe(sent[0]);
    c.active(7000);
    expect(sent.at(-1)).toMatchObject({ type: 'idle', stopAt: null });
    expect(c.current()).toBeUndefined();
    expect(c.read(8000).lastActivityAt).toBe(7000);
  });

  it('keeps a time-limit warning through activity: nothing extends the hard limit', () => {
    const sent: ServerMessage[] = [];
    const c = new ActivityClock((m) => sent.push(m));
    c.start(0);
    c.warn({ action: 'warn', reason: 'lifetime', stopAt: 10_000 });
    c.active(9000);
    expect(sent).toHaveLength(1);
    expect(c.current()).toMatchObject({ reason: 'lifetime' });
  });
});
