import { describe, expect, it } from 'vitest';
import {
  CastError,
  compressPauses,
  lastSize,
  markers,
  parseCast,
  parseSize,
  toPlayTime,
  toRecordingTime,
} from './asciicast.ts';

const header = JSON.stringify({
  version: 2,
  width: 80,
  height: 24,
  timestamp: 1795438240,
  title: 't',
});
const cast = (...lines: unknown[]) => [header, ...lines.map((l) => JSON.stringify(l))].join('\n');

describe('parseCast', () => {
  it('reads the header and the events of a v2 recording', () => {
    const c = parseCast(
      `${cast([0.1, 'o', '$ '], [1.5, 'r', '100x30'], [2, 'm', '✓ run-web'], [2.25, 'o', 'ok\r\n'])}\n`,
    );
    expect(c.header).toEqual({ width: 80, height: 24, timestamp: 1795438240, title: 't' });
    expect(c.events.map((e) => e.type)).toEqual(['o', 'r', 'm', 'o']);
    expect(c.duration).toBe(2.25);
    expect(c.skipped).toBe(0);
  });

  it('skips half a last line (a recording still being written) and lines that are not events', () => {
    const text = `${cast([0.5, 'o', 'a'], { not: 'an event' }, [1, 'x', 'unknown code'], [1.2, 'o', 'b'])}\n[1.4,"o","c`;
    const c = parseCast(text);
    expect(c.events.map((e) => e.data)).toEqual(['a', 'b']);
    expect(c.skipped).toBe(3);
  });

  it('never lets time go backwards', () => {
    const c = parseCast(cast([2, 'o', 'a'], [1, 'o', 'b'], [3, 'o', 'c']));
    expect(c.events.map((e) => e.t)).toEqual([2, 2, 3]);
  });

  it('says plainly when the text is not a recording', () => {
    expect(() => parseCast('')).toThrow(CastError);
    expect(() => parseCast('<html>')).toThrow(/first line is not a header/);
    expect(() => parseCast(JSON.stringify({ version: 3 }))).toThrow(/version 3/);
  });

  it('keeps a sane size when the header has none', () => {
    expect(parseCast(JSON.stringify({ version: 2 })).header).toMatchObject({
      width: 80,
      height: 24,
    });
  });
});

describe('sizes', () => {
  it('parses COLSxROWS within the runner limits', () => {
    expect(parseSize('120x30')).toEqual({ cols: 120, rows: 30 });
    expect(parseSize('9999x1')).toEqual({ cols: 500, rows: 1 });
    expect(parseSize('wide')).toBeUndefined();
  });

  it('knows the size in force at the end', () => {
    const c = parseCast(cast([1, 'r', '100x30'], [2, 'o', 'x'], [3, 'r', '90x20']));
    expect(lastSize(c)).toEqual({ cols: 90, rows: 20 });
    expect(lastSize(parseCast(cast([1, 'o', 'x'])))).toEqual({ cols: 80, rows: 24 });
  });
});

describe('markers', () => {
  it('lists check results with their outcome', () => {
    const c = parseCast(
      cast(
        [1, 'm', '✓ run-web'],
        [2, 'o', 'x'],
        [3, 'm', '✗ redis: no volume'],
        [4, 'm', 'recording stopped'],
      ),
    );
    expect(markers(c.events)).toEqual([
      { t: 1, label: '✓ run-web', passed: true },
      { t: 3, label: '✗ redis: no volume', passed: false },
      { t: 4, label: 'recording stopped', passed: undefined },
    ]);
  });
});

describe('pause skipping', () => {
  const events = parseCast(
    cast([1, 'o', 'a'], [1.5, 'o', 'b'], [61.5, 'o', 'c'], [62, 'o', 'd']),
  ).events;

  it('shortens long pauses and keeps the recording time of each event', () => {
    const play = compressPauses(events, 2);
    expect(play.map((e) => e.t)).toEqual([1, 1.5, 3.5, 4]);
    expect(play.map((e) => e.at)).toEqual([1, 1.5, 61.5, 62]);
  });

  it('keeps real time when the limit is off', () => {
    expect(compressPauses(events, 0).map((e) => e.t)).toEqual([1, 1.5, 61.5, 62]);
  });

  it('maps recording time to play time and back', () => {
    const play = compressPauses(events, 2);
    expect(toPlayTime(play, 61.5, 2)).toBe(3.5);
    expect(toPlayTime(play, 30, 2)).toBe(3.5); // in the middle of the skipped pause
    expect(toPlayTime(play, 0.5, 2)).toBe(0.5);
    expect(toRecordingTime(play, 3.75)).toBeCloseTo(61.75);
    expect(toRecordingTime(play, toPlayTime(play, 62, 2))).toBe(62);
  });
});
