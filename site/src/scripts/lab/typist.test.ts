import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { continuesLine, endsWithPrompt, Typist } from './typist.ts';

describe('endsWithPrompt', () => {
  it('sees the sandbox prompt through its colours, and bash’s continuation prompt', () => {
    expect(endsWithPrompt('\x1b[1;32mlearner@lab\x1b[0m:\x1b[1;34m~\x1b[0m# \x1b[?2004h')).toBe(
      true,
    );
    expect(endsWithPrompt('learner@lab:~$ ')).toBe(true);
    expect(endsWithPrompt('> ')).toBe(true);
    expect(endsWithPrompt('docker ps\r\n')).toBe(false);
    expect(endsWithPrompt('Pulling fs layer')).toBe(false);
  });
});

describe('continuesLine', () => {
  it('sees a line answered by bash’s continuation prompt, through its terminal modes', () => {
    expect(continuesLine("cat > f <<'EOF'\r\n\x1b[?2004l\r\x1b[?2004h> ")).toBe(true);
    expect(continuesLine('echo "it’s\r\n> ')).toBe(true);
  });

  it('does not take a command’s output for it', () => {
    expect(continuesLine('learner@lab:~# ')).toBe(false);
    // A command ran and printed lines; its last one happens to end like a prompt.
    expect(continuesLine('git log -p\r\n+ added\r\n> ')).toBe(false);
    expect(continuesLine('python3\r\n>>> ')).toBe(false);
    expect(continuesLine('ls\r\n')).toBe(false);
  });
});

describe('Typist', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const make = () => {
    const sent: string[] = [];
    const send = (d: string) => {
      sent.push(d);
      return true;
    };
    const typist = new Typist({ send, now: () => Date.now() });
    return { typist, sent };
  };

  it('types nothing until the terminal is ready, then one line per prompt', async () => {
    const { typist, sent } = make();
    const done = typist.type(['docker ps', 'docker images']);
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual([]);

    typist.setReady(true, true);
    typist.output('learner@lab:~# ');
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toEqual(['docker ps\r']);

    // The command's output: no prompt yet, so the next line waits.
    typist.output('docker ps\r\nCONTAINER ID   IMAGE\r\n');
    await vi.advanceTimersByTimeAsync(500);
    expect(sent).toHaveLength(1);
    typist.output('learner@lab:~# ');
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toEqual(['docker ps\r', 'docker images\r']);
    await expect(done).resolves.toBe(true);
  });

  it('goes on after a quiet spell without a prompt (a program reading input)', async () => {
    const { typist, sent } = make();
    typist.setReady(true);
    void typist.type(['cat > f <<EOF', 'hello', 'EOF']);
    await vi.advanceTimersByTimeAsync(10);
    expect(sent).toEqual(['cat > f <<EOF\r']);
    typist.output('cat > f <<EOF\r\n> ');
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toHaveLength(2);
    typist.output('hello\r\nsome program output');
    await vi.advanceTimersByTimeAsync(1900);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toEqual(['cat > f <<EOF\r', 'hello\r', 'EOF\r']);
  });

  it('types here-document lines as soon as the shell asks for the next one', async () => {
    const { typist, sent } = make();
    typist.setReady(true);
    typist.output('learner@lab:~# ');
    await vi.advanceTimersByTimeAsync(200);
    const done = typist.type(["cat > f <<'EOF'", 'one', 'two', 'EOF', 'wc -l f']);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual(["cat > f <<'EOF'\r"]);
    for (const line of ["cat > f <<'EOF'", 'one', 'two']) {
      typist.output(`${line}\r\n\x1b[?2004l\r\x1b[?2004h> `);
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(sent).toEqual(["cat > f <<'EOF'\r", 'one\r', 'two\r', 'EOF\r']);
    // The here-document ends: `cat` runs, and the next line waits for the shell's prompt.
    typist.output('EOF\r\n\x1b[?2004l\r');
    await vi.advanceTimersByTimeAsync(500);
    expect(sent).toHaveLength(4);
    typist.output('\x1b[?2004hlearner@lab:~# ');
    await vi.advanceTimersByTimeAsync(119);
    expect(sent).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.at(-1)).toBe('wc -l f\r');
    await expect(done).resolves.toBe(true);
  });

  it('drops queued lines when cancelled', async () => {
    const { typist, sent } = make();
    const done = typist.type(['one', 'two']);
    typist.cancel();
    typist.setReady(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual([]);
    await expect(done).resolves.toBe(false);
  });
});
