import type { Logger } from '../errors/log.ts';
import type { ProgressStore } from '../progress/progress-store.ts';
import type { SandboxProvider, SessionResources } from '../sandbox/provider.ts';

/**
 * What to remove, as a pure decision: labelled resources whose session the store does not
 * know as live, once they are older than the grace period (a sandbox is created a moment
 * before its row is written; a crash in between leaves exactly this kind of orphan).
 */
export function orphans(
  found: readonly SessionResources[],
  live: ReadonlySet<string>,
  now: number,
  graceMs: number,
): SessionResources[] {
  return found.filter((r) => !live.has(r.session) && now - r.createdAt.getTime() >= graceMs);
}

/** Sessions the store thinks are live but that no longer exist in the engine. */
export function vanished(found: readonly SessionResources[], live: ReadonlySet<string>): string[] {
  const present = new Set(found.filter((r) => r.kinds.includes('sandbox')).map((r) => r.session));
  return [...live].filter((s) => !present.has(s));
}

/**
 * Removes containers, networks and volumes that carry this runner's labels but that the store
 * does not know, at start and periodically. Unlabelled things are never looked at.
 */
export class Reaper {
  private timer: NodeJS.Timeout | undefined;
  private readonly deps: {
    provider: SandboxProvider;
    store: ProgressStore;
    logger: Logger;
    graceMs: number;
  };

  constructor(deps: {
    provider: SandboxProvider;
    store: ProgressStore;
    logger: Logger;
    graceMs: number;
  }) {
    this.deps = deps;
  }

  async sweep(now = Date.now()): Promise<{ removed: string[]; ended: string[] }> {
    const { provider, store, logger, graceMs } = this.deps;
    const found = await provider.resources();
    const live = new Set(store.liveSessions());
    // Sessions whose sandbox is gone end first, so their network and volume go in this sweep.
    const ended = vanished(found, live);
    for (const s of ended) {
      store.sandboxEnded(s, 'vanished from the engine');
      live.delete(s);
    }
    const removed: string[] = [];
    for (const r of orphans(found, live, now, graceMs)) {
      await provider.destroy(r.id).then(
        () => removed.push(r.session),
        (err) => logger.error('could not remove an orphaned sandbox', err, { session: r.session }),
      );
    }
    if (removed.length || ended.length) logger.info('reaper', { removed, ended });
    return { removed, ended };
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.sweep().catch((err) => this.deps.logger.error('reaper sweep failed', err));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
