import { describe, expect, it } from 'vitest';
import { OutputRing } from './ring-buffer.ts';

describe('OutputRing', () => {
  it('keeps everything under the limit', () => {
    const r = new OutputRing(100);
    r.append('one\r\n');
    r.append('two\r\n');
    expect(r.text()).toBe('one\r\ntwo\r\n');
  });

  it('keeps only the most recent output, starting at a line', () => {
    const r = new OutputRing(50);
    for (let i = 0; i < 100; i++) r.append(`line ${i}\r\n`);
    const t = r.text();
    expect(t.length).toBeLessThanOrEqual(50);
    expect(t.startsWith('line ')).toBe(true);
    expect(t.endsWith('line 99\r\n')).toBe(true);
  });
});
