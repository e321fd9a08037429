/**
 * How many sandboxes run at once, and the queue for the rest. Capacity comes from the
 * provider (one host's memory and cores, or a cluster's); a start beyond it waits its turn,
 * told its position and an estimate, instead of failing or overloading the hosts.
 */

/** The wait for queue position `position` (1 = next), from how often slots were freed lately. */
export function estimateWaitMs(
  position: number,
  recentIntervalsMs: readonly number[],
): number | undefined {
  if (recentIntervalsMs.length === 0) return undefined;
  const mean = recentIntervalsMs.reduce((a, b) => a + b, 0) / recentIntervalsMs.length;
  return Math.round(position * mean);
}

export interface QueueUpdate {
  position: number;
  capacity: number;
  estimateMs?: number;
}

/** What a queued learner reads. */
export function queuedMessage(u: QueueUpdate): string {
  const wait =
    u.estimateMs === undefined
      ? ''
      : `, about ${Math.max(1, Math.round(u.estimateMs / 60_000))} min to wait`;
  return `All ${u.capacity} sandboxes are in use. You are number ${u.position} in the queue${wait}; your lab starts by itself.`;
}

interface Waiter {
  key: string;
  grant: (release: () => void) => void;
  update: (u: QueueUpdate) => void;
}

export class Admission {
  private slots: number;
  private readonly holders = new Set<string>();
  private readonly queue: Waiter[] = [];
  private readonly freedAt: number[] = [];
  private readonly now: () => number;

  constructor(capacity: number, now: () => number = Date.now) {
    this.slots = capacity;
    this.now = now;
  }

  get capacity(): number {
    return this.slots;
  }

  /** What the hosts hold changed (a node joined, left or was cordoned): admit or hold back. */
  setCapacity(capacity: number): void {
    if (capacity === this.slots) return;
    this.slots = capacity;
    this.admitWaiting();
  }

  /** Called whenever a request has to wait (the warm pool then gives a sandbox back). */
  onQueued: (() => void) | undefined;

  get inUse(): number {
    return this.holders.size;
  }

  /**
   * A slot for `key` only if one is free right now and nobody waits, leaving `spare` slots
   * free for learners; undefined otherwise. For background work such as the warm pool.
   */
  tryAcquire(key: string, spare = 0): (() => void) | undefined {
    if (this.holders.has(key)) return this.releaser(key);
    if (this.queue.length > 0 || this.holders.size + spare >= this.capacity) return undefined;
    this.holders.add(key);
    return this.releaser(key);
  }

  /**
   * A slot for `key`; resolves with its release (idempotent) when one is free. `force` takes a
   * slot even past capacity: a sandbox that already runs (adopted after a restart) is not
   * queued. The signal withdraws a waiting request.
   */
  acquire(
    key: string,
    opts: { force?: boolean; signal?: AbortSignal; update?: (u: QueueUpdate) => void } = {},
  ): Promise<() => void> {
    if (this.holders.has(key)) return Promise.resolve(this.releaser(key));
    if (opts.force || (this.queue.length === 0 && this.holders.size < this.capacity)) {
      this.holders.add(key);
      return Promise.resolve(this.releaser(key));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { key, grant: resolve, update: opts.update ?? (() => {}) };
      this.queue.push(waiter);
      this.announce();
      this.onQueued?.();
      opts.signal?.addEventListener('abort', () => {
        const i = this.queue.indexOf(waiter);
        if (i < 0) return;
        this.queue.splice(i, 1);
        this.announce();
        reject(opts.signal?.reason ?? new Error('aborted'));
      });
    });
  }

  private releaser(key: string): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (!this.holders.delete(key)) return;
      this.freedAt.push(this.now());
      if (this.freedAt.length > 11) this.freedAt.shift();
      this.admitWaiting();
    };
  }

  private admitWaiting(): void {
    while (this.queue.length > 0 && this.holders.size < this.capacity) {
      const next = this.queue.shift()!;
      this.holders.add(next.key);
      next.grant(this.releaser(next.key));
    }
    this.announce();
  }

  private announce(): void {
    const intervals = this.freedAt.slice(1).map((t, i) => t - this.freedAt[i]!);
    this.queue.forEach((w, i) => {
      const estimateMs = estimateWaitMs(i + 1, intervals);
      w.update({
        position: i + 1,
        capacity: this.capacity,
        ...(estimateMs === undefined ? {} : { estimateMs }),
      });
    });
  }
}
