/**
 * What the player does to its terminal to show a moment of a recording. Moving forward writes
 * only what happened since the screen's current position; moving back starts over from an
 * empty screen at the recording's first size (a terminal cannot un-write). Consecutive output
 * is joined into one write, so seeking to the end of a long session is a handful of writes.
 * Pure.
 */
import { type CastEvent, parseSize, type TerminalSize } from './asciicast.ts';

export type ScreenOp = { kind: 'write'; data: string } | ({ kind: 'resize' } & TerminalSize);

/** How many events happen at or before play time `t` (binary search; events are in order). */
export function countAt(events: readonly Pick<CastEvent, 't'>[], t: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The screen operations of events [from, to): output joined, resizes kept, markers dropped. */
export function opsBetween(events: readonly CastEvent[], from: number, to: number): ScreenOp[] {
  const ops: ScreenOp[] = [];
  let pending: string[] = [];
  const flush = () => {
    if (pending.length > 0) ops.push({ kind: 'write', data: pending.join('') });
    pending = [];
  };
  for (let i = Math.max(0, from); i < Math.min(to, events.length); i++) {
    const e = events[i]!;
    if (e.type === 'o') pending.push(e.data);
    else if (e.type === 'r') {
      const size = parseSize(e.data);
      if (!size) continue;
      flush();
      // Two resizes in a row: only the last one matters.
      const prev = ops.at(-1);
      if (prev?.kind === 'resize') ops.pop();
      ops.push({ kind: 'resize', ...size });
    }
  }
  flush();
  return ops;
}

export interface SeekPlan {
  /** Start from an empty screen of this size first. */
  reset: TerminalSize | undefined;
  ops: ScreenOp[];
  /** The screen's position (an event count) once the plan is applied. */
  shown: number;
}

/**
 * How to go from a screen showing the first `shown` events to one showing everything up to
 * play time `t`.
 */
export function planSeek(
  events: readonly CastEvent[],
  initial: TerminalSize,
  shown: number,
  t: number,
): SeekPlan {
  const target = countAt(events, t);
  if (target >= shown)
    return { reset: undefined, ops: opsBetween(events, shown, target), shown: target };
  return { reset: { ...initial }, ops: opsBetween(events, 0, target), shown: target };
}
