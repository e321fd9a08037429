import type { Admission, QueueUpdate } from './admission.ts';

/** One session's place among the host's sandboxes: taken at most once, given back once. */
export class SessionSlot {
  private release: (() => void) | undefined;
  private readonly admission: Admission;
  private readonly key: string;

  constructor(admission: Admission, key: string) {
    this.admission = admission;
    this.key = key;
  }

  /**
   * Takes the place unless already held. `force` takes it even past capacity (a sandbox that
   * already runs keeps its place); otherwise the caller waits in the queue, hearing `update`,
   * until `signal` withdraws it.
   */
  async take(opts: {
    force?: boolean;
    update?: (u: QueueUpdate) => void;
    signal?: AbortSignal;
  }): Promise<void> {
    this.release ??= await this.admission.acquire(this.key, opts);
  }

  free(): void {
    this.release?.();
    this.release = undefined;
  }
}
