/**
 * Reads the runner's terminal recordings: asciicast v2, a JSON header line, then one
 * `[seconds, code, data]` line per event ("o" output, "r" resize "COLSxROWS", "m" marker).
 * Forgiving: a recording still being written may end in half a line, and a line that is not an
 * event is skipped, never fatal. Pure.
 */

export interface CastHeader {
  width: number;
  height: number;
  /** Unix seconds when the recording started. */
  timestamp?: number;
  title?: string;
}

export type CastEventType = 'o' | 'r' | 'm' | 'i';

export interface CastEvent {
  /** Seconds since the recording started (never decreasing). */
  t: number;
  type: CastEventType;
  data: string;
}

export interface Cast {
  header: CastHeader;
  events: CastEvent[];
  /** Seconds, the time of the last event. */
  duration: number;
  /** Lines that were not events and were skipped. */
  skipped: number;
}

export interface TerminalSize {
  cols: number;
  rows: number;
}

export class CastError extends Error {
  override readonly name = 'CastError';
}

const TYPES = new Set<CastEventType>(['o', 'r', 'm', 'i']);
const SIZE_LIMITS = { minCols: 2, maxCols: 500, minRows: 1, maxRows: 200 };

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** "120x30" as a size, or undefined when it is not one. */
export function parseSize(data: string): TerminalSize | undefined {
  const m = /^\s*(\d{1,4})\s*x\s*(\d{1,4})\s*$/.exec(data);
  if (!m) return undefined;
  return {
    cols: clamp(Number(m[1]), SIZE_LIMITS.minCols, SIZE_LIMITS.maxCols),
    rows: clamp(Number(m[2]), SIZE_LIMITS.minRows, SIZE_LIMITS.maxRows),
  };
}

function parseHeader(line: string | undefined): CastHeader {
  let h: unknown;
  try {
    h = JSON.parse(line ?? '');
  } catch {
    throw new CastError('This recording is empty or damaged: its first line is not a header.');
  }
  if (typeof h !== 'object' || h === null || Array.isArray(h))
    throw new CastError('This recording is empty or damaged: its first line is not a header.');
  const o = h as Record<string, unknown>;
  if (o.version !== 2)
    throw new CastError(
      `This recording is in a format the player does not know (version ${String(o.version)}).`,
    );
  const size = parseSize(`${Number(o.width) || 80}x${Number(o.height) || 24}`) ?? {
    cols: 80,
    rows: 24,
  };
  return {
    width: size.cols,
    height: size.rows,
    ...(typeof o.timestamp === 'number' ? { timestamp: o.timestamp } : {}),
    ...(typeof o.title === 'string' ? { title: o.title } : {}),
  };
}

export function parseCast(text: string): Cast {
  const lines = text.split('\n');
  const header = parseHeader(lines[0]);
  const events: CastEvent[] = [];
  let skipped = 0;
  let last = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      skipped += 1;
      continue;
    }
    if (
      !Array.isArray(e) ||
      typeof e[0] !== 'number' ||
      !Number.isFinite(e[0]) ||
      !TYPES.has(e[1]) ||
      typeof e[2] !== 'string'
    ) {
      skipped += 1;
      continue;
    }
    last = Math.max(last, e[0]);
    events.push({ t: last, type: e[1] as CastEventType, data: e[2] });
  }
  return { header, events, duration: last, skipped };
}

export interface Marker {
  t: number;
  label: string;
  /** ✓ a check passed, ✗ it failed; undefined for other notes (e.g. the size limit). */
  passed: boolean | undefined;
}

export function markers(events: readonly CastEvent[]): Marker[] {
  return events
    .filter((e) => e.type === 'm')
    .map((e) => {
      const label = e.data.trim();
      return {
        t: e.t,
        label,
        passed: label.startsWith('✓') ? true : label.startsWith('✗') ? false : undefined,
      };
    });
}

/** The terminal size in force at the end of the recording (the header's, then any resize). */
export function lastSize(cast: Pick<Cast, 'header' | 'events'>): TerminalSize {
  let size = { cols: cast.header.width, rows: cast.header.height };
  for (const e of cast.events) if (e.type === 'r') size = parseSize(e.data) ?? size;
  return size;
}

/** An event on the player's time line: `t` play time, `at` the time in the recording. */
export interface PlayEvent extends CastEvent {
  at: number;
}

/**
 * The events on a play time line where every pause longer than `limit` seconds is shortened
 * to `limit`: long silences (the learner reading the lesson) do not make the replay drag.
 * `limit` <= 0 (or Infinity) keeps real time.
 */
export function compressPauses(events: readonly CastEvent[], limit: number): PlayEvent[] {
  const cap = limit > 0 ? limit : Number.POSITIVE_INFINITY;
  let prev = 0;
  let shift = 0;
  return events.map((e) => {
    const gap = e.t - prev;
    if (gap > cap) shift += gap - cap;
    prev = e.t;
    return { ...e, t: Math.round((e.t - shift) * 1000) / 1000, at: e.t };
  });
}

/** Index of the last event at or before `value` of `key` (-1 when none). Binary search. */
function lastAtOrBefore(events: readonly PlayEvent[], key: 't' | 'at', value: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]![key] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The play time of a moment of the recording (seconds since it started). */
export function toPlayTime(events: readonly PlayEvent[], at: number, limit: number): number {
  const cap = limit > 0 ? limit : Number.POSITIVE_INFINITY;
  const i = lastAtOrBefore(events, 'at', at);
  if (i < 0) return Math.min(Math.max(0, at), cap);
  const e = events[i]!;
  return e.t + Math.min(at - e.at, cap);
}

/** The moment of the recording shown at a play time (inverse of toPlayTime). */
export function toRecordingTime(events: readonly PlayEvent[], t: number): number {
  const i = lastAtOrBefore(events, 't', t);
  if (i < 0) return Math.max(0, t);
  const e = events[i]!;
  return e.at + (t - e.t);
}
