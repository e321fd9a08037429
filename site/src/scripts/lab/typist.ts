/**
 * Types commands into the lab terminal for Run buttons, one line at a time, each followed by
 * Enter. It waits for the shell before each line (a prompt at the end of the output, or a quiet
 * terminal), so commands and their output do not interleave with typed-ahead text. When the
 * shell answers a line with its continuation prompt (a here-document or a quote is open), the
 * next line goes at once: only the shell reads it, so there is nothing to wait for.
 */

export interface TypistOptions {
  /** Sends terminal input; false when the socket is not open. */
  send(data: string): boolean;
  /** Called when a line is about to be typed (e.g. to focus the terminal). */
  onTyping?: () => void;
  now?: () => number;
  /** Quiet time after a prompt before the next line. */
  promptSettleMs?: number;
  /** Quiet time without a prompt (a program waiting for input) before the next line. */
  quietMs?: number;
  /** The longest wait for one command before typing the next line anyway. */
  maxWaitMs?: number;
}

interface Job {
  lines: string[];
  started: boolean;
  onStart: (() => void) | undefined;
  resolve(typed: boolean): void;
}

// CSI and OSC escape sequences, and carriage returns: what a prompt looks like without colour.
const ESC = String.fromCharCode(27);
const BEL = String.fromCharCode(7);
const ESCAPES = new RegExp(
  `${ESC}\\[[0-9;?]*[ -/]*[@-~]|${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)|${ESC}[()][0-9A-Za-z]|\\r`,
  'g',
);

/** Whether terminal output ends with a shell prompt (`$ `, `# `, or bash's `> ` for more). */
export function endsWithPrompt(output: string): boolean {
  return /[$#>] $/.test(output.replace(ESCAPES, ''));
}

/**
 * Whether the output since a line was typed is its echo followed by bash's continuation prompt
 * (`> ` at the start of a line) and nothing else: the shell is reading the next line itself,
 * and no command has run that could take typed text as its input.
 */
export function continuesLine(outputSinceLine: string): boolean {
  return /^[^\n]*\n> $/.test(outputSinceLine.replace(ESCAPES, ''));
}

/** Output kept to recognise a prompt. */
const TAIL_CHARS = 400;

export class Typist {
  private readonly opts: Required<Omit<TypistOptions, 'onTyping'>> &
    Pick<TypistOptions, 'onTyping'>;
  private readonly jobs: Job[] = [];
  private ready = false;
  private tail = '';
  /** Whether `tail` holds all the output since the last line typed, and nothing before it. */
  private sinceLine = false;
  private lastOutputAt = Number.NEGATIVE_INFINITY;
  private sentAt = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: TypistOptions) {
    this.opts = {
      now: () => Date.now(),
      promptSettleMs: 120,
      quietMs: 2000,
      maxWaitMs: 30_000,
      ...options,
    };
  }

  /** Whether lines are waiting to be typed. */
  get busy(): boolean {
    return this.jobs.length > 0;
  }

  /**
   * Queues lines; resolves true once all are typed, false if cancelled first. `onStart` runs
   * when the first of them is typed.
   */
  type(lines: readonly string[], onStart?: () => void): Promise<boolean> {
    if (lines.length === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.jobs.push({ lines: [...lines], started: false, onStart, resolve });
      this.schedule(0);
    });
  }

  /**
   * The terminal is (or is no longer) ready for input. `fresh`: a shell was just opened, so
   * wait for its prompt before typing.
   */
  setReady(ready: boolean, fresh = false): void {
    this.ready = ready;
    if (ready && fresh) {
      this.tail = '';
      this.sinceLine = false;
      this.sentAt = this.opts.now();
    }
    if (ready) this.schedule(0);
    else clearTimeout(this.timer);
  }

  /** Feed every chunk of terminal output here. */
  output(data: string): void {
    const all = this.tail + data;
    if (all.length > TAIL_CHARS) this.sinceLine = false;
    this.tail = all.slice(-TAIL_CHARS);
    this.lastOutputAt = this.opts.now();
    // step() works out how much longer to wait.
    if (this.busy && this.ready) this.schedule(0);
  }

  /** Drops everything queued (the socket closed, the lab was reset). */
  cancel(): void {
    clearTimeout(this.timer);
    for (const job of this.jobs.splice(0)) job.resolve(false);
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    if (!this.ready || !this.busy) return;
    this.timer = setTimeout(() => this.step(), delay);
  }

  /** How long to wait until the shell is ready for the next line; 0 when it is. */
  private waitLeft(): number {
    if (this.sinceLine && continuesLine(this.tail)) return 0;
    const now = this.opts.now();
    const quietFor = now - Math.max(this.lastOutputAt, this.sentAt);
    if (endsWithPrompt(this.tail) && quietFor >= this.opts.promptSettleMs) return 0;
    if (quietFor >= this.opts.quietMs) return 0;
    const sinceSent = now - this.sentAt;
    if (sinceSent >= this.opts.maxWaitMs) return 0;
    const untilQuiet = endsWithPrompt(this.tail)
      ? this.opts.promptSettleMs - quietFor
      : this.opts.quietMs - quietFor;
    return Math.max(1, Math.min(untilQuiet, this.opts.maxWaitMs - sinceSent));
  }

  private step(): void {
    if (!this.ready || !this.busy) return;
    const wait = this.waitLeft();
    if (wait > 0) {
      this.schedule(wait);
      return;
    }
    const job = this.jobs[0]!;
    const line = job.lines[0]!;
    this.opts.onTyping?.();
    if (!this.opts.send(`${line}\r`)) {
      // The socket is gone; setReady(true) resumes when it is back.
      this.ready = false;
      return;
    }
    job.lines.shift();
    if (!job.started) {
      job.started = true;
      job.onStart?.();
    }
    this.tail = '';
    this.sinceLine = true;
    this.sentAt = this.opts.now();
    if (job.lines.length === 0) {
      this.jobs.shift();
      job.resolve(true);
    }
    this.schedule(this.opts.promptSettleMs);
  }
}
