import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AsciicastRecorder, readCastTail } from './asciicast.ts';

const dir = mkdtempSync(join(tmpdir(), 'slipway-cast-'));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('AsciicastRecorder', () => {
  it('writes an asciicast v2 header and timed output, resize and marker events', async () => {
    const t0 = new Date('2026-01-01T10:00:00Z');
    const path = join(dir, 'a', 'b.cast');
    const r = new AsciicastRecorder(
      { path, cols: 100, rows: 30, maxBytes: 1_000_000, title: 'lab' },
      t0,
    );
    r.output('$ docker ps\r\n', t0.getTime() + 1500);
    r.resize(120, 40, t0.getTime() + 2000);
    r.marker('run-web passed', t0.getTime() + 2250);
    await r.close();
    const [header, ...events] = lines(path);
    expect(header).toMatchObject({ version: 2, width: 100, height: 30, timestamp: 1767261600 });
    expect(events).toEqual([
      [1.5, 'o', '$ docker ps\r\n'],
      [2, 'r', '120x40'],
      [2.25, 'm', 'run-web passed'],
    ]);
  });

  it('stops at its size cap and says so', async () => {
    const path = join(dir, 'capped.cast');
    const r = new AsciicastRecorder({ path, cols: 80, rows: 24, maxBytes: 400, title: 'x' });
    for (let i = 0; i < 50; i++) r.output(`line ${i} ${'x'.repeat(20)}\r\n`);
    await r.close();
    const events = lines(path);
    expect(readFileSync(path).length).toBeLessThanOrEqual(400 + 100);
    expect(events.at(-1)).toEqual([
      expect.any(Number),
      'm',
      'recording stopped: size limit reached',
    ]);
    expect(r.info.truncated).toBe(true);
  });

  it('continues an existing recording and gives back its last screen', async () => {
    const path = join(dir, 'resume.cast');
    const t0 = new Date('2026-01-01T10:00:00Z');
    const first = new AsciicastRecorder(
      { path, cols: 80, rows: 24, maxBytes: 1_000_000, title: 'x' },
      t0,
    );
    first.output('before the runner died\r\n', t0.getTime() + 1000);
    await first.close();
    const again = new AsciicastRecorder(
      { path, cols: 80, rows: 24, maxBytes: 1_000_000, title: 'x' },
      t0,
    );
    again.output('after\r\n', t0.getTime() + 5000);
    await again.close();
    const [header, ...events] = lines(path);
    expect(header.version).toBe(2);
    expect(events).toEqual([
      [1, 'o', 'before the runner died\r\n'],
      [5, 'o', 'after\r\n'],
    ]);
    expect(readCastTail(path, 1000)).toBe('before the runner died\r\nafter\r\n');
    expect(readCastTail(path, 7)).toBe('after\r\n');
    expect(readCastTail(join(dir, 'none.cast'), 100)).toBe('');
  });
});
