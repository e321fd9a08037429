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
import { PlatformWork } from './platform-work.ts';
import { SandboxLifecycle } from './sandbox-lifecycle.ts';
import { RESET_REASON, type ReadySandbox, type SandboxStatus } from './sandbox-status.ts';
import type { LabSessionDeps } from './session-deps.ts';
import { SessionPages } from './session-pages.ts';
import { previousScreen } from './session-recording.ts';
import { roundsFor, type SessionHooks, terminalFor } from './session-wiring.ts';
import { sandboxFate } from './shell-liveness.ts';
import { statusMessage } from './status-message.ts';
import { initialTaskStatuses } from './task-board.ts';
import type { TerminalHub } from './terminal-hub.ts';

export type { ReadySandbox, SandboxStatus } from './sandbox-status.ts';
export type { LabSessionDeps } from './session-deps.ts';

/**
 * One learner in one lab: their sandbox (its lifecycle: created, adopted after a runner
 * restart, recreated after it died, removed), their task statuses, and what runs beside a
 * ready sandbox while a page is open: the terminal, the activity clock and the check rounds.
 */
export class LabSession {
  readonly learnerId: string;
  readonly lab: Lab;
  private readonly deps: LabSessionDeps;
  private readonly sandbox: SandboxLifecycle;
  private readonly tasks = new Map<string, TaskStatus>();
  private readonly rounds: CheckRounds;
  /** Checks and measurements the platform runs in the sandbox: not the learner's activity. */
  readonly platformWork = new PlatformWork();
  readonly terminal: TerminalHub;
  private closed = false;
  private readonly log: ActivityLog;
  private readonly pages = new SessionPages((count) => {
    this.updatePolling();
    if (count === 0) this.sandbox.leaveQueue();
  });
  private readonly activity = new ActivityClock((m) => this.broadcast(m));

  constructor(learnerId: string, lab: Lab, deps: LabSessionDeps) {
    this.learnerId = learnerId;
    this.lab = lab;
    this.deps = deps;
    this.log = new ActivityLog(deps, learnerId, lab.id);
    const statuses = initialTaskStatuses(
      lab.tasks,
      deps.store.completions(learnerId, lab.id),
      deps.store.lastAttempts(learnerId, lab.id),
    );
    for (const s of statuses) this.tasks.set(s.id, s);
    this.sandbox = new SandboxLifecycle({
      deps,
      learnerId,
      lab,
      log: this.log,
      broadcast: (msg) => this.broadcast(msg),
      ready: (sandbox, restored) => this.sandboxReady(sandbox, restored),
      changed: () => this.updatePolling(),
      stopping: async () => {
        this.activity.stop();
        this.reportLimits([]);
        await Promise.all([this.rounds.settled(), this.terminal.stop()]);
      },
    });
    const hooks: SessionHooks = {
      learnerId,
      lab,
      deps,
      work: this.platformWork,
      tasks: this.tasks,
      sandbox: () => (this.closed ? undefined : this.sandbox.ready),
      lastActivityAt: () => this.activity.read().lastActivityAt,
      command: (sandbox, mark) => {
        this.markActive(mark.finishedAt.getTime());
        this.log.command(sandbox.sessionId, mark);
      },
      shellEnded: (sandbox) => this.shellEnded(sandbox),
      checksLost: (sandbox) => void this.checksLost(sandbox),
      broadcast: (msg) => this.broadcast(msg),
    };
    this.terminal = terminalFor(hooks);
    this.rounds = roundsFor(hooks, this.terminal);
  }

  get sandboxStatus(): SandboxStatus {
    return this.sandbox.current;
  }

  taskStatuses(): TaskStatus[] {
    return this.lab.tasks.map((t) => this.tasks.get(t.id)!);
  }

  /** The phase message a newly connected page should show. */
  statusMessage(): ServerMessage {
    return statusMessage(this.sandbox.current);
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
    return this.sandbox.start();
  }

  private sandboxReady(sandbox: ReadySandbox, restored: readonly string[]): void {
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
    this.rounds.poll(this.pages.count > 0 && this.sandbox.ready !== undefined);
  }

  /** The sandbox stopped or vanished underneath us; completed tasks stay completed. */
  sandboxGone(sessionId: string, detail: string): void {
    this.sandbox.gone(sessionId, detail);
  }

  /** Throws the sandbox away (progress is kept); the next start() makes a fresh one. */
  async reset(): Promise<void> {
    await this.sandbox.teardown(RESET_REASON, 'Sandbox removed. Press Start for a fresh one.');
  }

  /**
   * Stops the sandbox for being idle or reaching its time limit. Unlike a reset, the next
   * start() brings a new sandbox back to the last completed task.
   */
  stopIdle(reason: IdleReason, message: string): Promise<void> {
    return this.sandbox.stopFor(reason, `stopped: ${reason}`, message);
  }

  /** Stops the sandbox for going past a limit Slipway enforces (disk); progress is kept. */
  stopForLimit(kind: LimitKind, message: string): Promise<void> {
    return this.sandbox.stopFor(kind, `stopped: ${kind} limit`, message);
  }

  /** The ready sandbox's id; undefined while there is none. */
  get readySandboxId(): string | undefined {
    return this.sandbox.ready?.id;
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
    const ready = this.sandbox.ready;
    return ready ? { ...this.activity.read(now), sandboxId: ready.id } : undefined;
  }

  /** Terminal input, a finished command, work in the sandbox or "Keep working". */
  markActive(at = Date.now()): void {
    if (this.sandbox.ready) this.activity.active(at);
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
    const fate = await sandboxFate(this.deps.provider, sandbox.id, () => this.closed);
    if (fate.kind === 'respawn') return 'respawn';
    if (fate.kind === 'gone') this.sandboxGone(sandbox.sessionId, fate.detail);
    return 'stop';
  }

  /** A check found no sandbox to run in: gone only if the provider says so (never throws). */
  private async checksLost(sandbox: ReadySandbox): Promise<void> {
    const fate = await sandboxFate(this.deps.provider, sandbox.id, () => this.closed);
    if (fate.kind === 'gone') this.sandboxGone(sandbox.sessionId, fate.detail);
  }

  /** The runner is stopping: no more timers, shell or writes. The sandbox keeps running. */
  async close(): Promise<void> {
    this.closed = true;
    await this.rounds.close();
    await this.terminal.stop();
  }
}
