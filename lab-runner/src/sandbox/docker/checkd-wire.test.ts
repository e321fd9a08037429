import { describe, expect, it } from 'vitest';
import { CheckdFrames, runRequest, stopRequest } from './checkd-wire.ts';

describe('checkd wire format', () => {
  it('encodes a run as its environment, a separator and its argv, NUL-terminated', () => {
    const req = runRequest('r1', { A: '1' }, ['/bin/bash', '-c', 'echo é']);
    const text = req.toString('utf8');
    const [head, payload] = [text.slice(0, text.indexOf('\n')), text.slice(text.indexOf('\n') + 1)];
    expect(head).toBe(`R r1 ${Buffer.byteLength(payload)}`);
    expect(payload.split('\0')).toEqual(['A=1', '--', '/bin/bash', '-c', 'echo é', '']);
  });

  it('refuses ids and arguments that would break the framing', () => {
    expect(() => runRequest('a b', {}, ['true'])).toThrow('bad run id');
    expect(() => runRequest('r', {}, ['a\0b'])).toThrow('holds a NUL');
    expect(() => stopRequest('x\nR')).toThrow('bad run id');
    expect(stopRequest('r2')).toBe('K r2\n');
  });

  it('reads frames cut at any byte, with output that contains newlines and frame-like text', () => {
    const body = Buffer.from('line\nX r1 0\nA\n');
    const stream = Buffer.concat([
      Buffer.from(`A\nO r1 ${body.length}\n`),
      body,
      Buffer.from('E r1 3\nerr'),
      Buffer.from('noise\nX r1 7\n'),
    ]);
    const frames = new CheckdFrames();
    const seen = [];
    for (let i = 0; i < stream.length; i++) seen.push(...frames.push(stream.subarray(i, i + 1)));
    expect(seen.map((f) => ('data' in f ? { ...f, data: f.data.toString() } : f))).toEqual([
      { kind: 'activity' },
      { kind: 'out', id: 'r1', data: 'line\nX r1 0\nA\n' },
      { kind: 'err', id: 'r1', data: 'err' },
      { kind: 'exit', id: 'r1', code: 7 },
    ]);
  });
});
