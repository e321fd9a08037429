/**
 * When the platform itself works inside a sandbox (checks, measuring its disk). The idle
 * culler counts CPU in a sandbox as the learner's activity, except while this says the
 * platform was working there: otherwise an open page's own checks would keep it alive forever.
 */
export class PlatformWork {
  private running = 0;
  private lastEndedAt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** Runs `work`, counting it as the platform's. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.lastEndedAt = this.now();
    }
  }

  /** Whether the platform worked in the sandbox at any time since `t`. */
  since(t: number): boolean {
    return this.running > 0 || this.lastEndedAt >= t;
  }
}
