import { describe, expect, it } from 'vitest';
import { clampSize } from './resize.ts';

describe('clampSize', () => {
  it('keeps sane sizes and clamps absurd ones', () => {
    expect(clampSize(120, 40)).toEqual({ cols: 120, rows: 40 });
    expect(clampSize(100_000, 100_000)).toEqual({ cols: 500, rows: 200 });
    expect(clampSize(1, 1)).toEqual({ cols: 2, rows: 1 });
  });
});
