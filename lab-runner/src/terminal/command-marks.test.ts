import { describe, expect, it } from 'vitest';
import { CommandMarkExtractor } from './command-marks.ts';

const mark = (exit: number, startMicros: number, command: string) =>
  `\u001b]6973;${Buffer.from(`${exit}\t${startMicros}\t${command}`).toString('base64')}\u0007`;

describe('CommandMarkExtractor', () => {
  const now = new Date('2026-01-01T10:00:05Z');

  it('takes marks out of the output and decodes them', () => {
    const x = new CommandMarkExtractor();
    const r = x.push(`hello\r\n${mark(0, 1767261600000000, 'docker ps -a')}learner# `, now);
    expect(r.text).toBe('hello\r\nlearner# ');
    expect(r.marks).toEqual([
      {
        command: 'docker ps -a',
        exitCode: 0,
        startedAt: new Date('2026-01-01T10:00:00Z'),
        finishedAt: now,
      },
    ]);
  });

  it('reassembles a mark split at any point', () => {
    const whole = `a${mark(127, 1767261600000000, 'dokcer ps')}b`;
    for (let cut = 1; cut < whole.length; cut++) {
      const x = new CommandMarkExtractor();
      const one = x.push(whole.slice(0, cut), now);
      const two = x.push(whole.slice(cut), now);
      expect(one.text + two.text).toBe('ab');
      expect([...one.marks, ...two.marks].map((m) => [m.command, m.exitCode])).toEqual([
        ['dokcer ps', 127],
      ]);
    }
  });

  it('passes through other escapes and ignores garbage marks', () => {
    const x = new CommandMarkExtractor();
    const r = x.push('\u001b]0;title\u0007\u001b[1mbold\u001b]6973;%%%\u0007', now);
    expect(r.text).toBe('\u001b]0;title\u0007\u001b[1mbold');
    expect(r.marks).toEqual([]);
  });

  it('does not hold output forever for an unterminated mark', () => {
    const x = new CommandMarkExtractor();
    const r = x.push(`\u001b]6973;${'A'.repeat(9000)}`, now);
    expect(r.text.length).toBeGreaterThan(9000);
  });
});

describe('input notices from slipway-tty', () => {
  it('are taken out of the output, even split, and other OSC escapes pass through', () => {
    const whole = 'a\u001b]6974;dropped=12;discarded=3400\u0007b\u001b]6971;title\u0007c';
    for (let cut = 1; cut < whole.length; cut++) {
      const x = new CommandMarkExtractor();
      const one = x.push(whole.slice(0, cut));
      const two = x.push(whole.slice(cut));
      expect(one.text + two.text).toBe('ab\u001b]6971;title\u0007c');
      expect([...one.notices, ...two.notices]).toEqual([{ dropped: 12, discarded: 3400 }]);
    }
  });

  it('ignores a notice that does not have our shape', () => {
    const r = new CommandMarkExtractor().push('\u001b]6974;rm -rf /\u0007ok');
    expect(r).toEqual({ text: 'ok', marks: [], notices: [] });
  });
});
