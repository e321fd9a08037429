import { asSlipwayError, type SlipwayError, slipwayError } from '../errors/catalogue.ts';
import type { Logger } from '../errors/log.ts';
import { OUTPUT_HIGH_WATER, OUTPUT_LOW_WATER } from '../protocol/index.ts';
import type { SandboxProvider, Terminal } from '../sandbox/provider.ts';
import type { AsciicastRecorder } from '../terminal/asciicast.ts';
import { type CommandMark, CommandMarkExtractor } from '../terminal/command-marks.ts';
import { OutputDecoder } from '../terminal/output-decoder.ts';
import { OutputRing } from '../terminal/ring-buffer.ts';
import type { ReadySandbox } from './sandbox-status.ts';
import { SHELL_EXEC, shellCommand } from './shell-command.ts';

/** Someone watching the terminal: a learner's tab, or an instructor's read-only shadow. */
export interface TerminalView {
  output(text: string): void;
  error(e: SlipwayError): void;
  /** Something about the learner's input they should know (it was dropped or thrown away). */
  notice?(e: SlipwayError): void;
  /** Output sent but not yet shown; the shell is held back while any view has too much. */
  pressure?(): number;
  /** Another tab of the same learner took the terminal over. */
  takenOver?(): void;
  /** The terminal's size changed (read-only views follow it). */
  resized?(cols: number, rows: number): void;
}

export interface TerminalHubDeps {
  provider: SandboxProvider;
  logger: Logger;
  /** Output kept for views that attach later (a reload, a second tab, a shadow). */
  ringChars: number;
  /** A recorder for a new shell session, or undefined not to record. */
  recorder(
    sandbox: ReadySandbox,
    size: { cols: number; rows: number },
  ): AsciicastRecorder | undefined;
  onCommand(mark: CommandMark): void;
  /** The shell ended: 'respawn' to open a new one, 'stop' when the sandbox itself is gone. */
  onShellEnded(sandbox: ReadySandbox): Promise<'respawn' | 'stop'>;
}

const SHELL = shellCommand('-A');
const MAX_QUICK_RESPAWNS = 3;
/** Keystrokes kept while the shell is opening. */
const MAX_PENDING_INPUT = 64 * 1024;
/**
 * Keystrokes the runner holds for the sandbox. Pages are held back well before this (see
 * `inputBacklog`), and slipway-tty reads input as it comes, so this fills only when the engine
 * stops taking it.
 */
const MAX_UNSENT_INPUT = 1024 * 1024;
const INTERRUPT = '\u0003';
const formatCount = (n: number) => n.toLocaleString('en-US');

/**
 * The one shell of a learner's lab session. It outlives the pages that show it: tabs attach and
 * detach, and each gets the recent screen first. Output also goes to the recording, and the
 * shell's command marks to the session.
 */
export class TerminalHub {
  private readonly deps: TerminalHubDeps;
  private readonly views = new Set<TerminalView>();
  private readonly ring: OutputRing;
  private terminal: Terminal | undefined;
  private sandbox: ReadySandbox | undefined;
  private recorder: AsciicastRecorder | undefined;
  private opening: Promise<void> | undefined;
  private pending = '';
  private paused = false;
  private pressurePoll: NodeJS.Timeout | undefined;
  private size = { cols: 80, rows: 24 };
  private quickExits = 0;
  private readonly drainWaiters = new Set<() => void>();

  constructor(deps: TerminalHubDeps) {
    this.deps = deps;
    this.ring = new OutputRing(deps.ringChars);
  }

  get recording(): AsciicastRecorder | undefined {
    return this.recorder;
  }

  /**
   * Opens the shell of a ready sandbox (once; a new sandbox starts a new screen). `screen` is
   * what the shell showed before, when the runner is reattaching to it after a restart.
   */
  start(sandbox: ReadySandbox, screen = ''): Promise<void> {
    if (this.sandbox?.sessionId === sandbox.sessionId && (this.terminal || this.opening)) {
      return this.opening ?? Promise.resolve();
    }
    if (this.sandbox?.sessionId !== sandbox.sessionId) {
      this.ring.clear();
      this.ring.append(screen);
      // Pages that attached while the sandbox was being found get the old screen now.
      if (screen) for (const v of this.views) v.output(screen);
      void this.recorder?.close();
      this.recorder = this.deps.recorder(sandbox, this.size);
    }
    this.sandbox = sandbox;
    this.opening = this.open(sandbox).finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async open(sandbox: ReadySandbox): Promise<void> {
    const started = Date.now();
    let t: Terminal;
    try {
      t = await this.deps.provider.openTerminal(sandbox.id, {
        cmd: SHELL,
        ...SHELL_EXEC,
        ...this.size,
      });
    } catch (err) {
      const e = asSlipwayError(err);
      this.deps.logger.error('could not open a terminal', e, { sandbox: sandbox.id });
      for (const v of this.views) v.error(e);
      return;
    }
    if (this.sandbox !== sandbox) {
      await t[Symbol.asyncDispose]();
      return;
    }
    this.terminal = t;
    void this.redraw(t).catch(() => {});
    const decoder = new OutputDecoder();
    const marks = new CommandMarkExtractor();
    t.stream.on('data', (chunk: Buffer) => {
      const r = marks.push(decoder.push(chunk));
      for (const m of r.marks) this.deps.onCommand(m);
      for (const n of r.notices) {
        if (n.dropped > 0) this.inputDropped(n.dropped, '1 MiB');
        if (n.discarded > 0) {
          const e = slipwayError('INPUT_DISCARDED', { count: formatCount(n.discarded) });
          for (const v of this.views) v.notice?.(e);
        }
      }
      if (r.text) this.emit(r.text);
    });
    t.stream.on('error', () => {});
    t.stream.on('drain', () => this.inputDrained());
    t.stream.once('close', () => {
      this.inputDrained();
      if (this.terminal !== t) return;
      this.terminal = undefined;
      void this.ended(sandbox, Date.now() - started);
    });
    if (this.pending) {
      t.stream.write(this.pending);
      this.pending = '';
    }
  }

  private emit(text: string): void {
    this.ring.append(text);
    this.recorder?.output(text);
    for (const v of this.views) v.output(text);
    this.relieve();
  }

  /**
   * Flow control: while any page is too far behind, stop reading the shell's output. The
   * sandbox's terminal then fills and the writing program (`yes`) blocks, so neither the
   * runner's memory nor the browser drowns, and keystrokes such as Ctrl-C still go through.
   */
  relieve(): void {
    let most = 0;
    for (const v of this.views) most = Math.max(most, v.pressure?.() ?? 0);
    if (!this.paused && most >= OUTPUT_HIGH_WATER) {
      this.paused = true;
      this.terminal?.stream.pause();
      this.pressurePoll = setInterval(() => this.relieve(), 10);
    } else if (this.paused && most < OUTPUT_LOW_WATER) {
      this.paused = false;
      clearInterval(this.pressurePoll);
      this.terminal?.stream.resume();
    }
  }

  private async ended(sandbox: ReadySandbox, livedMs: number): Promise<void> {
    // A shell also ends when its sandbox dies; the engine may need a moment to say so.
    await new Promise((r) => setTimeout(r, 250));
    if (this.sandbox !== sandbox) return;
    if ((await this.deps.onShellEnded(sandbox)) === 'stop') return;
    this.quickExits = livedMs < 2000 ? this.quickExits + 1 : 0;
    if (this.quickExits > MAX_QUICK_RESPAWNS) {
      const e = slipwayError('SANDBOX_START_FAILED', { reason: 'its shell keeps exiting' });
      for (const v of this.views) v.error(e);
      return;
    }
    this.emit('\r\n\x1b[2m[shell exited; starting a new one]\x1b[0m\r\n');
    await this.start(sandbox);
  }

  /** Closes the shell and the recording (the sandbox is gone or being replaced). */
  async stop(): Promise<void> {
    clearInterval(this.pressurePoll);
    this.paused = false;
    const t = this.terminal;
    this.terminal = undefined;
    this.sandbox = undefined;
    this.pending = '';
    this.inputDrained();
    if (t) await Promise.resolve(t[Symbol.asyncDispose]()).catch(() => {});
    await this.recorder?.close();
    this.recorder = undefined;
  }

  /**
   * Adds a view; it first gets the recent screen. A learner's view (one that can be taken
   * over) takes the terminal from the learner's other tabs, which are told.
   */
  attach(view: TerminalView): () => void {
    if (view.takenOver) {
      for (const other of this.views) {
        if (other.takenOver && other !== view) {
          this.views.delete(other);
          other.takenOver();
        }
      }
    }
    view.resized?.(this.size.cols, this.size.rows);
    const screen = this.ring.text();
    if (screen) view.output(screen);
    this.views.add(view);
    return () => {
      this.views.delete(view);
      this.relieve();
    };
  }

  /**
   * Keystrokes; kept briefly while the shell is opening. Input that cannot be kept is dropped,
   * and the learner is told each time, with how much.
   */
  write(data: string): void {
    const t = this.terminal;
    if (t) {
      // Ctrl-C always goes through: slipway-tty throws away what is queued before it.
      if (t.stream.writableLength + data.length > MAX_UNSENT_INPUT && !data.includes(INTERRUPT))
        this.inputDropped(data.length, '1 MiB');
      else t.stream.write(data);
    } else if (this.sandbox) {
      const all = this.pending + data;
      this.pending = all.slice(-MAX_PENDING_INPUT);
      if (all.length > this.pending.length)
        this.inputDropped(all.length - this.pending.length, '64 KiB');
    }
  }

  /** Keystrokes written but not yet taken by the engine; a page is held back while it is high. */
  inputBacklog(): number {
    return this.terminal?.stream.writableLength ?? 0;
  }

  /** Calls `fn` once the input backlog has drained (or the shell it was for is gone). */
  onInputDrained(fn: () => void): void {
    if (this.inputBacklog() === 0) fn();
    else this.drainWaiters.add(fn);
  }

  private inputDrained(): void {
    const waiters = [...this.drainWaiters];
    this.drainWaiters.clear();
    for (const fn of waiters) fn();
  }

  private inputDropped(count: number, limit: string): void {
    const e = slipwayError('INPUT_DROPPED', { count: formatCount(count), limit });
    for (const v of this.views) v.notice?.(e);
  }

  resize(cols: number, rows: number): void {
    if (cols === this.size.cols && rows === this.size.rows) return;
    this.size = { cols, rows };
    this.recorder?.resize(cols, rows);
    for (const v of this.views) v.resized?.(cols, rows);
    this.terminal?.resize(cols, rows).catch(() => {});
  }

  /**
   * Makes the program in the foreground redraw (bash its prompt, vim its screen). slipway-tty
   * sends SIGWINCH when a client attaches; a real size change as well makes sure of it for
   * programs that redraw only when the size changed.
   */
  private async redraw(t: Terminal): Promise<void> {
    const { cols, rows } = this.size;
    if (rows < 2) return;
    await t.resize(cols, rows - 1);
    await new Promise((r) => setTimeout(r, 50));
    if (this.terminal === t) await t.resize(this.size.cols, this.size.rows);
  }

  marker(label: string): void {
    this.recorder?.marker(label);
  }

  screen(): string {
    return this.ring.text();
  }
}
