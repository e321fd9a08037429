import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunnerProcess } from './runner-process.ts';
import type { LabClient } from './ws-client.ts';

/**
 * Whatever a learner (or a script posing as their page) sends into the terminal, the shell keeps
 * answering: large pastes without bracketed-paste markers arrive whole, Ctrl-C always gets
 * through, and input is never dropped without the learner being told.
 */
const runner = new RunnerProcess({ prefix: 'it-input' });
let term: LabClient;

beforeAll(async () => {
  ({ term } = await runner.learnerAtPrompt());
}, 180_000);
afterAll(() => runner.dispose());

/** Sends text as the reviewer did: `input` messages of at most 16 KB, all at once. */
function typeInChunks(t: LabClient, text: string, chunk = 16 * 1024): void {
  for (let i = 0; i < text.length; i += chunk) t.type(text.slice(i, i + chunk));
}

/** Lines of 63 characters (62 and a newline), `bytes` in all, as a file would hold them. */
function body(bytes: number): string {
  const lines: string[] = [];
  for (let i = 0; lines.length * 63 < bytes; i++)
    lines.push(`${String(i).padStart(8, '0')}${'x'.repeat(54)}`);
  return `${lines.join('\n')}\n`;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('terminal input', () => {
  for (const kb of [64, 256]) {
    it(`a ${kb} KB unbracketed heredoc arrives intact and the prompt answers afterwards`, async () => {
      const text = body(kb * 1024);
      const file = `/tmp/paste-${kb}.txt`;
      typeInChunks(term, `cat > ${file} <<'EOF'\r${text.replaceAll('\n', '\r')}EOF\r`);
      term.type(`echo "sum=$(sha256sum < ${file} | cut -c1-64) done-$((${kb}+1))"\r`);
      await term.waitForScreen(`done-${kb + 1}`, 120_000);
      const sum = /sum=([0-9a-f]{64}) done-/.exec(term.screen.slice(-400))?.[1];
      expect(sum).toBe(sha256(text));
      expect(term.messages.filter((m) => m.type === 'error')).toEqual([]);
    });
  }

  it('Ctrl-C throws away a paste the program is not reading, and the learner is told', async () => {
    term.type('sleep 600\r');
    await term.waitForScreen('sleep 600\r\n');
    // Half a megabyte of commands typed at a program that never reads them.
    typeInChunks(term, 'echo NOT-TO-RUN\r'.repeat(32 * 1024));
    term.type('\x03');
    term.type('echo "after=$((6*7))"\r');
    await term.waitForScreen('after=42', 60_000);
    // Only typed-ahead echoes, never a line that ran.
    expect(term.screen).not.toMatch(/\nNOT-TO-RUN/);
    const notice = await term.waitFor((m) => m.type === 'notice' && m.code === 'INPUT_DISCARDED');
    expect(notice).toMatchObject({
      message: expect.stringMatching(/^Ctrl-C: [\d,]+ characters you typed or pasted/),
    });
  });

  it('input past what may wait for a program that does not read is dropped, and the learner is told how much', async () => {
    term.type('sleep 600\r');
    await term.waitForScreen('sleep 600\r\n');
    // 1.5 MiB of lines at a program that never reads: 1 MiB may wait for it, the rest cannot.
    typeInChunks(term, `${'y'.repeat(63)}\r`.repeat(24 * 1024));
    const dropped = await term.waitFor((m) => m.type === 'notice' && m.code === 'INPUT_DROPPED');
    expect(dropped).toMatchObject({
      message: expect.stringMatching(
        /^[\d,]+ characters you typed or pasted were dropped: the program in the terminal is not reading its input/,
      ),
    });
    term.type('\x03');
    term.type('echo "back=$((7*6))"\r');
    await term.waitForScreen('back=42', 60_000);
  });

  it('a burst of 1,000 one-line messages arrives whole (held back, not dropped)', async () => {
    // Into a here-document: the shell reads it itself, so no program starting up (and setting
    // its terminal's mode) can throw away what was typed ahead of it.
    term.type("cat > /tmp/burst.txt <<'EOF'\r");
    for (let i = 0; i < 1000; i++) term.type(`line ${i}\r`);
    term.type('EOF\r');
    term.type('echo "lines=$(wc -l < /tmp/burst.txt) last=$(tail -n1 /tmp/burst.txt)"\r');
    await term.waitForScreen('last=line 999', 60_000);
    expect(term.screen).toContain('lines=1000 last=line 999');
    expect(term.messages.filter((m) => m.type === 'error')).toEqual([]);
  });
});
