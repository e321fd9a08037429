import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../protocol/index.ts';
import { EventBus } from './event-bus.ts';

const e: ActivityEvent = {
  kind: 'task-completed',
  learnerId: 'L',
  labId: 'lab',
  taskId: 't',
  at: '2026-01-01T00:00:00.000Z',
};

describe('EventBus', () => {
  it('delivers to every subscriber until it unsubscribes', () => {
    const bus = new EventBus();
    const a: ActivityEvent[] = [];
    const b: ActivityEvent[] = [];
    const offA = bus.subscribe((x) => a.push(x));
    bus.subscribe((x) => b.push(x));
    bus.publish(e);
    offA();
    bus.publish(e);
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(2);
  });

  it('keeps delivering when one listener throws, and reports it', () => {
    const errors: unknown[] = [];
    const bus = new EventBus((err) => errors.push(err));
    const got: ActivityEvent[] = [];
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe((x) => got.push(x));
    bus.publish(e);
    expect(got).toEqual([e]);
    expect(errors).toHaveLength(1);
    expect(bus.size).toBe(2);
  });
});
