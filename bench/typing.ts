/**
 * A 25-line here-document typed into the lab's terminal as fast as the browser takes keys
 * (Playwright's keyboard.type, no delay), against the same text pasted (one paste event, the
 * floor: nothing for the input pacer or the runner's limiter to hold). Both end when the shell
 * prints the file's line count, so each includes the shell's own work.
 */
import type { Page } from '@playwright/test';

const FILE = Array.from({ length: 23 }, (_, i) =>
  i === 0
    ? 'from flask import Flask, jsonify'
    : `def handler_${String(i).padStart(2, '0')}(x): return {"n": x * ${i}, "ok": True}`,
);
const heredoc = (name: string) => `${[`cat > ${name} <<'EOF'`, ...FILE, 'EOF'].join('\n')}\n`;

export interface TypingMarks {
  /** ms from the first key to the shell's answer */
  typed: number;
  /** ms from the last key to the shell's answer: what the platform adds to the typing */
  lag: number;
  /** ms to type the same keys into a bare textarea (how fast this browser takes keys) */
  bare: number;
  pasted: number;
  chars: number;
}

/** Needs a page whose lab terminal is focused and at a prompt. */
export async function typingMarks(page: Page): Promise<TypingMarks> {
  const answered = (name: string) =>
    page.waitForFunction(
      (marker) => (document.querySelector('.xterm-rows')?.textContent ?? '').includes(marker),
      `${name}=23 lines`,
      { timeout: 120_000 },
    );
  const count = (name: string) => `clear; echo "${name}=$(wc -l < ${name}.py) lines"\n`;
  let t0 = performance.now();
  await page.keyboard.type(heredoc('typed.py') + count('typed'));
  const lastKey = performance.now();
  await answered('typed');
  const typed = performance.now() - t0;
  const lag = performance.now() - lastKey;
  t0 = performance.now();
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    const paste = new ClipboardEvent('paste', { clipboardData: data, bubbles: true });
    document.querySelector('.xterm-helper-textarea')?.dispatchEvent(paste);
  }, heredoc('pasted.py') + count('pasted'));
  // bash holds a bracketed paste on the line until Enter.
  await page.keyboard.press('Enter');
  await answered('pasted');
  const pasted = performance.now() - t0;
  const bare = await bareTyping(page, heredoc('typed.py') + count('typed'));
  return { typed, lag, bare, pasted, chars: heredoc('x.py').length };
}

/** The same keys into a textarea of a blank page in the same browser. */
async function bareTyping(lab: Page, text: string): Promise<number> {
  const page = await lab.context().newPage();
  try {
    await page.setContent('<textarea></textarea>');
    await page.focus('textarea');
    const t0 = performance.now();
    await page.keyboard.type(text);
    return performance.now() - t0;
  } finally {
    await page.close();
  }
}
