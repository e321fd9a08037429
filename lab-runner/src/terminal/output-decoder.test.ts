import { describe, expect, it } from 'vitest';
import { OutputDecoder, truncateUtf8 } from './output-decoder.ts';

describe('OutputDecoder', () => {
  it('keeps multi-byte characters whole across chunk boundaries', () => {
    const bytes = Buffer.from('héllo ✓ 🐳 done');
    for (let cut = 1; cut < bytes.length; cut++) {
      const d = new OutputDecoder();
      const text = d.push(bytes.subarray(0, cut)) + d.push(bytes.subarray(cut)) + d.end();
      expect(text).toBe('héllo ✓ 🐳 done');
    }
  });

  it('never emits half a character', () => {
    const d = new OutputDecoder();
    const whale = Buffer.from('🐳');
    expect(d.push(whale.subarray(0, 2))).toBe('');
    expect(d.push(whale.subarray(2))).toBe('🐳');
  });
});

describe('truncateUtf8', () => {
  it('fits the byte budget without splitting characters', () => {
    const out = truncateUtf8('é'.repeat(100), 123);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(123);
    expect(out.endsWith('...')).toBe(true);
    expect(out.includes('\uFFFD')).toBe(false);
    expect(truncateUtf8('short', 123)).toBe('short');
  });
});
