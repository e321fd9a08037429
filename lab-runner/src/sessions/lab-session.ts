import { type SlipwayError, slipwayError } from '../errors/catalogue.ts';
import type { Lab } from '../labs/load-labs.ts';
import {
  type CheckTrigger,
  PROTOCOL_VERSION,
  type ServerMessage,
  type TaskStatus,
} from '../protocol/index.ts';
import { ActivityClock } from './activity-clock.ts';
import { ActivityLog } from './activity-log.ts';
import type { CheckRounds } from './check-rounds.ts';
import type { IdleClock, IdleDecision, IdleReason } from './idle-policy.ts';
import type { LimitKind, LimitNotice } from './limit-policy.ts';
import { removeOwnedSandboxes } from './owned-sandboxes.ts';
import { PlatformWork } from './platform-work.ts';
import { RESET_REASON, type ReadySandbox, type SandboxStatus } from './sandbox-status.ts';
import type { LabSessionDeps } from './session-deps.ts';
import { SessionPages } from './session-pages.ts';
import { previousScreen } from './session-recording.ts';
import { SessionSlot } from './session-slot.ts';
import { LEFT_QUEUE, startSandbox } from './session-start.ts';
import { roundsFor, type SessionHooks, terminalFor } from './session-wiring.ts';
import { shellFate } from './shell-liveness.ts';
import { statusMessage } from './status-message.ts';
import { initialTaskStatuses } from './task-board.ts';
import type { TerminalHub } from './terminal-hub.ts';

export type { ReadySandbox, SandboxStatus } from './sandbox-status.ts';
export type { LabSessionDeps } from './session-deps.ts';

/**
 * One learner in one lab: their sandbox (created, adopted after a runner restart, or
 * recreated after it died), their task statuses, and the checks that run while a page is open.
 */
export class LabSession {
  readonly learnerId: string;
  readonly lab: Lab;
  private readonly deps: LabSessionDeps;
  private status: SandboxStatus = { kind: 'none' };
  private readonly tasks = new Map<string, TaskStatus>();
  private readonly rounds: CheckRounds;
  /** Checks and measurements the platform runs in the sandbox: not the learner's activity. */
  readonly platformWork = new PlatformWork();
  readonly terminal: TerminalHub;
  private closed = false;
  /** This session's place among the host's sandboxes. */
  private readonly slot: SessionSlot;
  private readonly log: ActivityLog;
  private readonly pages = new SessionPages((count) => {
    this.updatePolling();
    // The last page closed while waiting in the queue: give the place to the next learner.
    if (count === 0) this.queueWait?.abort(LEFT_QUEUE);
  });
  private readonly activity = new ActivityClock((m) => this.broadcast(m));
  /** Withdraws this session's place in the admission queue while it waits there. */
  private queueWait: AbortController | undefined;

  constructor(learnerId: string, lab: Lab, deps: LabSessionDeps) {
    this.learnerId = learnerId;
    this.lab = lab;
    this.deps = deps;
    this.slot = new SessionSlot(deps.admission, `${learnerId}/${lab.id}`);
    this.log = new ActivityLog(deps, learnerId, lab.id);
    const statuses = initialTaskStatuses(
      lab.tasks,
      deps.store.completions(learnerId, lab.id),
      deps.store.lastAttempts(learnerId, lab.id),
    );
    for (const s of statuses) this.tasks.set(s.id, s);
    const hooks: SessionHooks = {
      learnerId,
      lab,
      deps,
      work: this.platformWork,
      tasks: this.tasks,
      sandbox: () =>
        this.status.kind === 'ready' && !this.closed ? this.status.sandbox : undefined,
      lastActivityAt: () => this.activity.read().lastActivityAt,
      command: (sandbox, mark) => {
        this.markActive(mark.finishedAt.getTime());
        this.log.command(sandbox.sessionId, mark);
      },
      shellEnded: (sandbox) => this.shellEnded(sandbox),
      gone: (sessionId, detail) => this.sandboxGone(sessionId, detail),
      broadcast: (msg) => this.broadcast(msg),
    };
    this.terminal = terminalFor(hooks);
    this.rounds = roundsFor(hooks, this.terminal);
  }

  get sandboxStatus(): SandboxStatus {
    return this.status;
  }

  taskStatuses(): TaskStatus[] {
    return this.lab.tasks.map((t) => this.tasks.get(t.id)!);
  }

  /** The phase message a newly connected page should show. */
  statusMessage(): ServerMessage {
    return statusMessage(this.status);
  }

  subscribe(fn: (msg: ServerMessage) => void): () => void {
    return this.pages.subscribe(fn);
  }

  get subscriberCount(): number {
    return this.pages.count;
  }

  private broadcast(msg: ServerMessage): void {
    this.pages.broadcast(msg);
  }

  /** Resolves with a ready sandbox, creating or adopting one; concurrent callers share it. */
  start(): Promise<ReadySandbox> {
    const s = this.status;
    if (s.kind === 'ready') return Promise.resolve(s.sandbox);
    if (s.kind === 'starting') return s.ready;
    this.queueWait = new AbortController();
    return startSandbox(
      {
        deps: this.deps,
        learnerId: this.learnerId,
        lab: this.lab,
        slot: this.slot,
        setStatus: (status) => {
          this.status = status;
        },
        stillStarting: () => this.status.kind === 'starting',
        broadcast: (msg) => this.broadcast(msg),
        settled: () => {
          this.queueWait = undefined;
        },
        ready: (sandbox, restored) => this.sandboxReady(sandbox, restored),
        failed: (error) => {
          this.log.sandbox('failed', error.message);
          this.slot.free();
          this.fail(error, 'failed', error.toLearner().message);
        },
      },
      this.queueWait.signal,
    );
  }

  private sandboxReady(sandbox: ReadySandbox, restored: readonly string[]): void {
    this.status = { kind: 'ready', sandbox };
    this.activity.start();
    const screen = previousScreen(
      this.deps.store,
      sandbox,
      this.deps.settings.screenChars ?? 64_000,
    );
    void this.terminal.start(sandbox, screen);
    this.log.sandbox('ready');
    const message = restored.length
      ? `Your sandbox was recreated and brought back to where you were: ${restored.join('; ')}.`
      : 'Your sandbox is ready.';
    this.broadcast({ v: PROTOCOL_VERSION, type: 'status', phase: 'ready', message });
    this.updatePolling();
    void this.runChecks('start');
  }

  /** A command was entered in the terminal: check shortly after it has had time to act. */
  commandEntered(): void {
    this.rounds.commandEntered();
  }

  /** Runs every unfinished task's check; overlapping requests coalesce into one rerun. */
  runChecks(trigger: CheckTrigger): Promise<void> {
    return this.rounds.run(trigger);
  }

  private updatePolling(): void {
    this.rounds.poll(this.pages.count > 0 && this.status.kind === 'ready');
  }

  /**
   * The sandbox stopped or vanished underneath us (engine event, failed exec). The next
   * start() creates a fresh one; completed tasks stay completed.
   */
  sandboxGone(sessionId: string, detail: string): void {
    const s = this.status;
    if (s.kind !== 'ready' || s.sandbox.sessionId !== sessionId) return;
    const error = slipwayError('SANDBOX_DIED', { detail });
    this.deps.store.sandboxEnded(sessionId, `died: ${detail}`);
    this.slot.free();
    void this.terminal.stop();
    this.log.sandbox('stopped', detail);
    this.deps.logger.warn('sandbox died', {
      session: sessionId,
      detail,
      learner: this.learnerId,
      lab: this.lab.id,
    });
    this.fail(error, 'stopped', error.message);
  }

  /** Marks the sandbox unusable and tells every open page why. */
  private fail(error: SlipwayError, phase: 'failed' | 'stopped', message: string): void {
    this.status = { kind: 'failed', error };
    this.updatePolling();
    this.broadcast({ v: PROTOCOL_VERSION, type: 'error', ...error.toLearner() });
    this.broadcast({ v: PROTOCOL_VERSION, type: 'status', phase, message });
  }

  /** Throws the sandbox away (progress is kept); the next start() makes a fresh one. */
  async reset(): Promise<void> {
    await this.teardown(RESET_REASON, 'Sandbox removed. Press Start for a fresh one.');
  }

  /**
   * Stops the sandbox for being idle or reaching its time limit. Unlike a reset, the next
   * start() brings a new sandbox back to the last completed task.
   */
  stopIdle(reason: IdleReason, message: string): Promise<void> {
    return this.stopFor(reason, `stopped: ${reason}`, message);
  }

  /** Stops the sandbox for going past a limit Slipway enforces (disk); progress is kept. */
  stopForLimit(kind: LimitKind, message: string): Promise<void> {
    return this.stopFor(kind, `stopped: ${kind} limit`, message);
  }

  private async stopFor(reason: string, endReason: string, message: string): Promise<void> {
    if (this.status.kind !== 'ready') return;
    this.deps.logger.info('sandbox stopped', { reason, learner: this.learnerId, lab: this.lab.id });
    await this.teardown(endReason, message);
  }

  private async teardown(endReason: string, message: string): Promise<void> {
    const s = this.status;
    if (s.kind === 'starting') await s.ready.catch(() => {});
    const current = this.status;
    this.status = { kind: 'none' };
    this.activity.stop();
    this.reportLimits([]);
    this.updatePolling();
    await this.terminal.stop();
    this.log.sandbox('stopped', endReason);
    await removeOwnedSandboxes(
      this.deps.provider,
      this.deps.store,
      this.learnerId,
      this.lab.id,
      endReason,
      current.kind === 'ready' ? current.sandbox.sessionId : undefined,
    );
    this.slot.free();
    this.broadcast({ v: PROTOCOL_VERSION, type: 'status', phase: 'stopped', message });
  }

  /** The ready sandbox's id; undefined while there is none. */
  get readySandboxId(): string | undefined {
    return this.status.kind === 'ready' ? this.status.sandbox.id : undefined;
  }

  /** Limits the sandbox is at, for its open pages (and pages opened later). */
  reportLimits(limits: LimitNotice[]): void {
    this.pages.reportLimits(limits);
  }

  limitsMessage(): ServerMessage {
    return this.pages.limitsMessage();
  }

  /** The idle clock of a ready sandbox (for the culler); undefined otherwise. */
  idleClock(now = Date.now()): (IdleClock & { sandboxId: string }) | undefined {
    const s = this.status;
    if (s.kind !== 'ready') return undefined;
    return { ...this.activity.read(now), sandboxId: s.sandbox.id };
  }

  /** Terminal input, a finished command, work in the sandbox or "Keep working". */
  markActive(at = Date.now()): void {
    if (this.status.kind === 'ready') this.activity.active(at);
  }

  warnIdle(d: IdleDecision): void {
    this.activity.warn(d);
  }

  idleWarning(): ServerMessage | undefined {
    return this.activity.current();
  }

  /** The learner opened a task's hint or solution. */
  opened(kind: 'hint' | 'solution', taskId: string): void {
    if (this.lab.tasks.some((t) => t.id === taskId)) this.log.opened(kind, taskId);
  }

  /** The shell ended: a dead sandbox ends the session's sandbox, a live one gets a new shell. */
  private async shellEnded(sandbox: ReadySandbox): Promise<'respawn' | 'stop'> {
    const fate = await shellFate(this.deps.provider, sandbox.id, () => this.closed);
    if (fate.kind === 'respawn') return 'respawn';
    if (fate.kind === 'gone') this.sandboxGone(sandbox.sessionId, fate.detail);
    return 'stop';
  }

  /** The runner is stopping: no more timers, shell or writes. The sandbox keeps running. */
  async close(): Promise<void> {
    this.closed = true;
    await this.rounds.close();
    await this.terminal.stop();
  }
}
