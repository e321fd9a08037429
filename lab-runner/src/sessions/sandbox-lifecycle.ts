import { type SlipwayError, slipwayError } from '../errors/catalogue.ts';
import type { Lab } from '../labs/load-labs.ts';
import { PROTOCOL_VERSION, type ServerMessage } from '../protocol/index.ts';
import type { ActivityLog } from './activity-log.ts';
import { removeOwnedSandboxes } from './owned-sandboxes.ts';
import type { ReadySandbox, SandboxStatus } from './sandbox-status.ts';
import type { LabSessionDeps } from './session-deps.ts';
import { SessionSlot } from './session-slot.ts';
import { LEFT_QUEUE, startSandbox } from './session-start.ts';

/** What a sandbox's lifecycle tells its lab session, and needs of it. */
export interface LifecycleHooks {
  deps: LabSessionDeps;
  learnerId: string;
  lab: Lab;
  log: ActivityLog;
  broadcast(msg: ServerMessage): void;
  /** The sandbox is ready: the session starts what runs beside it (terminal, clock, checks). */
  ready(sandbox: ReadySandbox, restored: readonly string[]): void;
  /** The status changed (checks poll only beside a ready sandbox). */
  changed(): void;
  /** The sandbox is going: the session stops what ran beside it. */
  stopping(): Promise<void>;
}

/**
 * The state machine of one session's sandbox: none → starting → ready, then failed (its start
 * failed, or it died) or back to none (removed: reset, idle, a limit). It holds the session's
 * place among the host's sandboxes while it has one.
 */
export class SandboxLifecycle {
  private status: SandboxStatus = { kind: 'none' };
  private readonly h: LifecycleHooks;
  private readonly slot: SessionSlot;
  /** Withdraws the start's place in the admission queue while it waits there. */
  private queueWait: AbortController | undefined;

  constructor(h: LifecycleHooks) {
    this.h = h;
    this.slot = new SessionSlot(h.deps.admission, `${h.learnerId}/${h.lab.id}`);
  }

  get current(): SandboxStatus {
    return this.status;
  }

  /** The ready sandbox; undefined while there is none. */
  get ready(): ReadySandbox | undefined {
    return this.status.kind === 'ready' ? this.status.sandbox : undefined;
  }

  /** Resolves with a ready sandbox, creating or adopting one; concurrent callers share it. */
  start(): Promise<ReadySandbox> {
    const s = this.status;
    if (s.kind === 'ready') return Promise.resolve(s.sandbox);
    if (s.kind === 'starting') return s.ready;
    this.queueWait = new AbortController();
    const { deps, learnerId, lab } = this.h;
    return startSandbox(
      {
        deps,
        learnerId,
        lab,
        slot: this.slot,
        setStatus: (status) => {
          this.status = status;
        },
        stillStarting: () => this.status.kind === 'starting',
        broadcast: (msg) => this.h.broadcast(msg),
        settled: () => {
          this.queueWait = undefined;
        },
        ready: (sandbox, restored) => {
          this.status = { kind: 'ready', sandbox };
          this.h.ready(sandbox, restored);
        },
        failed: (error) => {
          this.h.log.sandbox('failed', error.message);
          this.slot.free();
          this.fail(error, 'failed', error.toLearner().message);
        },
      },
      this.queueWait.signal,
    );
  }

  /** Every page left: a start still waiting in the queue gives its place to the next learner. */
  leaveQueue(): void {
    this.queueWait?.abort(LEFT_QUEUE);
  }

  /**
   * The sandbox stopped or vanished underneath us (engine event, failed exec). The next
   * start() creates a fresh one; completed tasks stay completed.
   */
  gone(sessionId: string, detail: string): void {
    const s = this.status;
    if (s.kind !== 'ready' || s.sandbox.sessionId !== sessionId) return;
    const { deps, learnerId, lab } = this.h;
    const error = slipwayError('SANDBOX_DIED', { detail });
    deps.store.sandboxEnded(sessionId, `died: ${detail}`);
    this.slot.free();
    void this.h.stopping();
    this.h.log.sandbox('stopped', detail);
    deps.logger.warn('sandbox died', {
      session: sessionId,
      detail,
      learner: learnerId,
      lab: lab.id,
    });
    this.fail(error, 'stopped', error.message);
  }

  /** Marks the sandbox unusable and tells every open page why. */
  private fail(error: SlipwayError, phase: 'failed' | 'stopped', message: string): void {
    this.status = { kind: 'failed', error };
    this.h.changed();
    this.h.broadcast({ v: PROTOCOL_VERSION, type: 'error', ...error.toLearner() });
    this.h.broadcast({ v: PROTOCOL_VERSION, type: 'status', phase, message });
  }

  /** Removes a ready sandbox for `reason` (idle, a limit), telling pages `message`. */
  async stopFor(reason: string, endReason: string, message: string): Promise<void> {
    if (this.status.kind !== 'ready') return;
    const { deps, learnerId, lab } = this.h;
    deps.logger.info('sandbox stopped', { reason, learner: learnerId, lab: lab.id });
    await this.teardown(endReason, message);
  }

  /**
   * Removes the sandbox (waiting for a start under way) and everything of the learner's in
   * this lab; progress is kept, and the next start() makes a fresh one.
   */
  async teardown(endReason: string, message: string): Promise<void> {
    const s = this.status;
    if (s.kind === 'starting') await s.ready.catch(() => {});
    const current = this.status;
    this.status = { kind: 'none' };
    this.h.changed();
    await this.h.stopping();
    this.h.log.sandbox('stopped', endReason);
    const { deps, learnerId, lab } = this.h;
    await removeOwnedSandboxes(
      deps.provider,
      deps.store,
      learnerId,
      lab.id,
      endReason,
      current.kind === 'ready' ? current.sandbox.sessionId : undefined,
    );
    this.slot.free();
    this.h.broadcast({ v: PROTOCOL_VERSION, type: 'status', phase: 'stopped', message });
  }
}
