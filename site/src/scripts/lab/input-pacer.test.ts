import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InputPacer } from './input-pacer.ts';

describe('InputPacer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const make = (intervalMs = 8) => {
    const sent: string[] = [];
    const pacer = new InputPacer({
      send: (d) => sent.push(d),
      intervalMs,
      now: () => Date.now(),
    });
    return { pacer, sent };
  };

  it('sends a keystroke at once when none went out within the interval', async () => {
    const { pacer, sent } = make();
    pacer.push('l');
    expect(sent).toEqual(['l']);
    await vi.advanceTimersByTimeAsync(30); // a person's next key
    pacer.push('s');
    expect(sent).toEqual(['l', 's']);
  });

  it('gathers keystrokes that come faster than the interval, in order, into one send', async () => {
    const { pacer, sent } = make();
    for (const ch of 'cat > app.py') pacer.push(ch);
    expect(sent).toEqual(['c']);
    await vi.advanceTimersByTimeAsync(8);
    expect(sent).toEqual(['c', 'at > app.py']);
    pacer.push('\r');
    expect(sent).toHaveLength(2); // the interval since the last send is not over yet
    await vi.advanceTimersByTimeAsync(8);
    expect(sent.join('')).toBe('cat > app.py\r');
  });

  it('keeps a flood to one send per interval, losing nothing', async () => {
    const { pacer, sent } = make(8);
    const text = 'x'.repeat(1000);
    for (let i = 0; i < text.length; i++) {
      pacer.push(text[i]!);
      if (i % 10 === 9) await vi.advanceTimersByTimeAsync(1); // 10 keys a millisecond
    }
    await vi.advanceTimersByTimeAsync(8);
    expect(sent.join('')).toBe(text);
    // 100 ms of typing: one send at once, then at most one per 8 ms.
    expect(sent.length).toBeLessThanOrEqual(1 + Math.ceil(100 / 8));
  });

  it('drops what is not sent yet when cleared', async () => {
    const { pacer, sent } = make();
    pacer.push('a');
    pacer.push('b');
    pacer.clear();
    await vi.advanceTimersByTimeAsync(50);
    expect(sent).toEqual(['a']);
    pacer.push('c');
    expect(sent).toEqual(['a', 'c']);
  });
});
