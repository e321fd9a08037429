import { describe, expect, it } from 'vitest';
import type { CastEvent } from './asciicast.ts';
import { countAt, opsBetween, planSeek } from './seek.ts';

const ev = (t: number, type: CastEvent['type'], data: string): CastEvent => ({ t, type, data });
const events: CastEvent[] = [
  ev(0.5, 'o', 'a'),
  ev(1, 'o', 'b'),
  ev(1, 'm', '✓ task'),
  ev(2, 'r', '100x30'),
  ev(2, 'r', '120x40'),
  ev(3, 'o', 'c'),
  ev(4, 'r', 'nonsense'),
  ev(5, 'o', 'd'),
];
const initial = { cols: 80, rows: 24 };

describe('countAt', () => {
  it('counts the events at or before a time', () => {
    expect(countAt(events, 0)).toBe(0);
    expect(countAt(events, 1)).toBe(3);
    expect(countAt(events, 2.5)).toBe(5);
    expect(countAt(events, 99)).toBe(events.length);
  });
});

describe('opsBetween', () => {
  it('joins output, keeps the last of consecutive resizes and drops markers', () => {
    expect(opsBetween(events, 0, events.length)).toEqual([
      { kind: 'write', data: 'ab' },
      { kind: 'resize', cols: 120, rows: 40 },
      { kind: 'write', data: 'cd' },
    ]);
  });
});

describe('planSeek', () => {
  it('moving forward writes only what is new', () => {
    const plan = planSeek(events, initial, 2, 3);
    expect(plan.reset).toBeUndefined();
    expect(plan.ops).toEqual([
      { kind: 'resize', cols: 120, rows: 40 },
      { kind: 'write', data: 'c' },
    ]);
    expect(plan.shown).toBe(6);
  });

  it('moving back starts from an empty screen at the first size', () => {
    const plan = planSeek(events, initial, 8, 1.5);
    expect(plan.reset).toEqual(initial);
    expect(plan.ops).toEqual([{ kind: 'write', data: 'ab' }]);
    expect(plan.shown).toBe(3);
  });

  it('staying put does nothing', () => {
    const plan = planSeek(events, initial, 3, 1.2);
    expect(plan).toEqual({ reset: undefined, ops: [], shown: 3 });
  });

  it('seeks to the end of a long session in a handful of writes', () => {
    const many: CastEvent[] = Array.from({ length: 50_000 }, (_, i) => ev(i / 100, 'o', 'x'));
    const started = performance.now();
    const plan = planSeek(many, initial, 0, 1e9);
    expect(plan.ops).toHaveLength(1);
    expect(plan.ops[0]).toEqual({ kind: 'write', data: 'x'.repeat(50_000) });
    expect(performance.now() - started).toBeLessThan(200);
  });
});
