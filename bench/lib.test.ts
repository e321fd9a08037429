import { describe, expect, it } from 'vitest';
import {
  budget,
  distribution,
  fmtMs,
  LATEST_END,
  LATEST_START,
  markdownTable,
  percentile,
  ratio,
  replaceLatest,
} from './lib.ts';

describe('percentile', () => {
  it('takes the nearest rank of the sorted sample', () => {
    const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 95)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises a distribution', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(distribution(xs)).toEqual({ n: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  });
});

describe('formatting', () => {
  it('scales milliseconds to their size', () => {
    expect(fmtMs(0.349)).toBe('0.35 ms');
    expect(fmtMs(21.4)).toBe('21 ms');
    expect(fmtMs(4420)).toBe('4.42 s');
    expect(fmtMs(Number.NaN)).toBe('n/a');
  });

  it('states ratios and budgets', () => {
    expect(ratio(150, 100)).toBe('1.50×');
    expect(ratio(1, 0)).toBe('n/a');
    expect(budget(144, 300, '≤ 300 ms')).toBe('≤ 300 ms ✅');
    expect(budget(4420, 2000, '≤ 2 s')).toBe('≤ 2 s ❌');
  });

  it('escapes pipes inside table cells', () => {
    const table = markdownTable([{ figure: 'a | b', slipway: '1', baseline: '2', ratio: '0.50×' }]);
    expect(table.split('\n')[2]).toBe('| a \\| b | 1 | 2 | 0.50× |  |');
  });
});

describe('replaceLatest', () => {
  it('replaces only what is between the markers', () => {
    const doc = `# B\n\nintro\n\n${LATEST_START}\nold\n${LATEST_END}\n\n## History\nkept\n`;
    const out = replaceLatest(doc, 'new figures');
    expect(out).toContain(`${LATEST_START}\nnew figures\n${LATEST_END}`);
    expect(out).not.toContain('old');
    expect(out).toContain('## History\nkept');
  });

  it('puts a first run before the history when there are no markers', () => {
    const out = replaceLatest('# B\n\nintro\n\n## 2026-11-23\nold run\n', 'new');
    expect(out.indexOf('new')).toBeLessThan(out.indexOf('## 2026-11-23'));
    expect(out).toContain('old run');
  });
});
