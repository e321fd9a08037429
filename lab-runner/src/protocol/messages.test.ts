import { describe, expect, it } from 'vitest';
import { friendlyParse } from './friendly-parse.ts';
import { clientMessageSchema, MAX_INPUT_CHARS, serverMessageSchema } from './messages.ts';

const parse = (m: unknown) => friendlyParse(clientMessageSchema, m);

describe('client messages', () => {
  it('accepts input, resize, check and hint', () => {
    expect(parse({ v: 1, type: 'input', data: 'ls\r' }).ok).toBe(true);
    expect(parse({ v: 1, type: 'resize', cols: 120, rows: 40 }).ok).toBe(true);
    expect(parse({ v: 1, type: 'check' }).ok).toBe(true);
    expect(parse({ v: 1, type: 'hint', taskId: 'run-web' }).ok).toBe(true);
  });

  it('rejects an unknown type with the list of known ones', () => {
    const r = parse({ v: 1, type: 'shutdown' });
    expect(r.ok ? [] : r.problems).toEqual([
      {
        field: 'type',
        expected: 'must be one of "input", "resize", "check", "hint", "solution", "ack", "keep"',
      },
    ]);
  });

  it('rejects another protocol version', () => {
    const r = parse({ v: 2, type: 'check' });
    expect(r.ok ? [] : r.problems).toEqual([
      { field: 'v', expected: 'protocol version must be 1' },
    ]);
  });

  it('rejects nonsense resize values', () => {
    for (const bad of [
      { cols: -1, rows: 10 },
      { cols: 1.5, rows: 10 },
      { cols: '80', rows: 24 },
      { cols: 80, rows: 1e9 },
      { cols: Number.NaN, rows: 24 },
    ]) {
      expect(parse({ v: 1, type: 'resize', ...bad }).ok, JSON.stringify(bad)).toBe(false);
    }
  });

  it('caps the size of one input message', () => {
    expect(parse({ v: 1, type: 'input', data: 'x'.repeat(MAX_INPUT_CHARS) }).ok).toBe(true);
    const r = parse({ v: 1, type: 'input', data: 'x'.repeat(MAX_INPUT_CHARS + 1) });
    expect(r.ok ? [] : r.problems).toEqual([
      { field: 'data', expected: `must be at most ${MAX_INPUT_CHARS} characters` },
    ]);
  });

  it('rejects extra fields', () => {
    expect(parse({ v: 1, type: 'check', force: true }).ok).toBe(false);
  });
});

describe('server messages', () => {
  it('describes task updates with ISO times', () => {
    const ok = friendlyParse(serverMessageSchema, {
      v: 1,
      type: 'task',
      trigger: 'poll',
      task: {
        id: 'run-web',
        state: 'failing',
        reason: 'no',
        checkedAt: '2026-01-01T00:00:00.000Z',
      },
    });
    expect(ok.ok).toBe(true);
    const bad = friendlyParse(serverMessageSchema, {
      v: 1,
      type: 'task',
      trigger: 'poll',
      task: { id: 'x', state: 'done' },
    });
    expect(bad.ok).toBe(false);
  });
});
