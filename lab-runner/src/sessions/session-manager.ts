import type { Logger } from '../errors/log.ts';
import type { Lab } from '../labs/load-labs.ts';
import type { SandboxEvent, SandboxProvider } from '../sandbox/provider.ts';
import { LabSession, type LabSessionDeps } from './lab-session.ts';
import { POOL_LEARNER } from './warm-pool.ts';

/** Holds one LabSession per (learner, lab) and routes sandbox events to them. */
export class SessionManager {
  private readonly sessions = new Map<string, LabSession>();
  private readonly deps: LabSessionDeps;

  constructor(deps: LabSessionDeps) {
    this.deps = deps;
  }

  private static key(learnerId: string, labId: string): string {
    return `${learnerId}\u0000${labId}`;
  }

  get(learnerId: string, lab: Lab): LabSession {
    const key = SessionManager.key(learnerId, lab.id);
    let s = this.sessions.get(key);
    if (!s) {
      s = new LabSession(learnerId, lab, this.deps);
      this.sessions.set(key, s);
    }
    return s;
  }

  /** Every session this runner holds (for the idle culler). */
  all(): Iterable<LabSession> {
    return this.sessions.values();
  }

  find(learnerId: string, labId: string): LabSession | undefined {
    return this.sessions.get(SessionManager.key(learnerId, labId));
  }

  handleEvent(e: SandboxEvent): void {
    // A sandbox from the warm pool keeps the pool's labels; the database knows its learner.
    const owner =
      e.labels.learner === POOL_LEARNER
        ? this.deps.store.sandboxOwner(e.labels.session)
        : { learnerId: e.labels.learner, labId: e.labels.lab };
    if (!owner) {
      this.deps.pool?.forget(e.labels.session);
      return;
    }
    const session = this.find(owner.learnerId, owner.labId);
    if (!session) return;
    const detail =
      e.kind === 'oom'
        ? 'it ran out of memory'
        : e.kind === 'died'
          ? (e.reason ?? `it exited with code ${e.exitCode}`)
          : 'it was removed';
    session.sandboxGone(e.labels.session, detail);
  }

  /**
   * Follows the provider's event stream until the signal aborts, reconnecting with back-off
   * when the engine goes away (e.g. it restarts).
   */
  async watch(provider: SandboxProvider, logger: Logger, signal: AbortSignal): Promise<void> {
    let delay = 500;
    while (!signal.aborted) {
      try {
        for await (const e of provider.events({ signal })) {
          delay = 500;
          this.handleEvent(e);
        }
      } catch (err) {
        if (signal.aborted) return;
        logger.warn('sandbox event stream lost; retrying', {
          error: (err as Error).message,
          retryInMs: delay,
        });
      }
      if (signal.aborted) return;
      await new Promise((r) => setTimeout(r, delay).unref());
      delay = Math.min(delay * 2, 10_000);
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
  }
}
