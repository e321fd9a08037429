/**
 * Paces the terminal's input messages. A keystroke goes out at once; keystrokes that come
 * faster than one per `intervalMs` (a test typing, a key held down, a typing tool) are gathered
 * and go out together when the interval is over. The runner admits a page's messages at a fixed
 * rate (INPUT_RATE in lab-runner/src/http/lab-socket.ts) to pace floods; one message per
 * keystroke would hit that rate, gathered keystrokes never do, so fast typing is limited by
 * what the sandbox takes and not by a message count. Order is kept.
 */

export interface InputPacerOptions {
  /** Sends gathered input (any length: the caller splits it into messages). */
  send(data: string): void;
  /** At most one send per this many milliseconds. */
  intervalMs: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export class InputPacer {
  private readonly opts: Required<InputPacerOptions>;
  private pending = '';
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: unknown;

  constructor(options: InputPacerOptions) {
    this.opts = {
      now: () => performance.now(),
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
      ...options,
    };
  }

  /** Input typed or pasted; sent now, or with what follows it within the interval. */
  push(data: string): void {
    if (data === '') return;
    this.pending += data;
    if (this.timer !== undefined) return;
    const wait = this.lastSentAt + this.opts.intervalMs - this.opts.now();
    if (wait <= 0) this.flush();
    else
      this.timer = this.opts.setTimer(() => {
        this.timer = undefined;
        this.flush();
      }, wait);
  }

  /** Drops input not sent yet (the socket it was for is gone). */
  clear(): void {
    if (this.timer !== undefined) this.opts.clearTimer(this.timer);
    this.timer = undefined;
    this.pending = '';
  }

  private flush(): void {
    const data = this.pending;
    this.pending = '';
    if (data === '') return;
    this.lastSentAt = this.opts.now();
    this.opts.send(data);
  }
}
