import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { CheckRunner } from '../checks/check-runner.ts';
import { asSlipwayError, type SlipwayError, slipwayError } from '../errors/catalogue.ts';
import type { Logger } from '../errors/log.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Lab } from '../labs/load-labs.ts';
import type { ProgressStore } from '../progress/progress-store.ts';
import {
  type CheckTrigger,
  PROTOCOL_VERSION,
  type SandboxPhase,
  type ServerMessage,
  type TaskStatus,
} from '../protocol/index.ts';
import type { SandboxInfo, SandboxLimits, SandboxProvider } from '../sandbox/provider.ts';
import { waitUntilEngineReady } from '../sandbox/readiness.ts';
import { AsciicastRecorder, readCastTail } from '../terminal/asciicast.ts';
import type { CommandMark } from '../terminal/command-marks.ts';
import { ActivityClock } from './activity-clock.ts';
import { type Admission, queuedMessage } from './admission.ts';
import { CheckRounds } from './check-rounds.ts';
import type { IdleClock, IdleDecision, IdleReason } from './idle-policy.ts';
import type { LimitKind, LimitNotice } from './limit-policy.ts';
import { ownedSandboxes } from './owned-sandboxes.ts';
import { PlatformWork } from './platform-work.ts';
import { provisionSandbox } from './provision.ts';
import { replaySolutions } from './restore.ts';
import { initialTaskStatuses } from './task-board.ts';
import { TerminalHub } from './terminal-hub.ts';
import type { WarmPool } from './warm-pool.ts';

export interface LabSessionDeps {
  provider: SandboxProvider;
  store: ProgressStore;
  checks: CheckRunner;
  logger: Logger;
  bus: EventBus;
  /** Sandboxes this host may run at once; starts beyond it wait in its queue. */
  admission: Admission;
  /** Ready sandboxes handed out on start; none when undefined. */
  pool?: WarmPool;
  /** Where terminal recordings go (one asciicast file per sandbox session); none when undefined. */
  recordings?: { dir: string; maxBytes: number };
  settings: {
    instance: string;
    sandboxImage: string;
    limits: SandboxLimits;
    readyTimeoutMs: number;
    setupTimeoutMs: number;
    checkIntervalMs: number;
    /** Terminal output kept for tabs that attach later. */
    screenChars?: number;
  };
}

export interface ReadySandbox {
  id: string;
  sessionId: string;
}

/** Where a learner's sandbox for this lab stands. Only `ready` carries a usable sandbox. */
export type SandboxStatus =
  | { kind: 'none' }
  | { kind: 'starting'; phase: SandboxPhase; message: string; ready: Promise<ReadySandbox> }
  | { kind: 'ready'; sandbox: ReadySandbox }
  | { kind: 'failed'; error: SlipwayError };

type Listener = (msg: ServerMessage) => void;

/** Why a start stopped waiting in the queue: every page of it was closed. */
const LEFT_QUEUE = new Error('every page left the admission queue');

/** How a sandbox the learner threw away is recorded; a replacement for it is not restored. */
const RESET_REASON = 'reset by learner';

/**
 * One learner in one lab: their sandbox (created, adopted after a runner restart, or
 * recreated after it died), their task statuses, and the checks that run while a page is open.
 */
export class LabSession {
  readonly learnerId: string;
  readonly lab: Lab;
  private readonly deps: LabSessionDeps;
  private status: SandboxStatus = { kind: 'none' };
  private readonly listeners = new Set<Listener>();
  private readonly tasks = new Map<string, TaskStatus>();
  private readonly rounds: CheckRounds;
  /** Checks and measurements the platform runs in the sandbox: not the learner's activity. */
  readonly platformWork = new PlatformWork();
  readonly terminal: TerminalHub;
  private closed = false;
  /** Gives back this session's place among the host's sandboxes. */
  private releaseSlot: (() => void) | undefined;
  /** Titles of the tasks redone in the sandbox that just started, to tell the learner. */
  private restored: string[] = [];
  private readonly activity = new ActivityClock((m) => this.broadcast(m));
  private limits: LimitNotice[] = [];
  /** Withdraws this session's place in the admission queue while it waits there. */
  private queueWait: AbortController | undefined;

  constructor(learnerId: string, lab: Lab, deps: LabSessionDeps) {
    this.learnerId = learnerId;
    this.lab = lab;
    this.deps = deps;
    this.terminal = new TerminalHub({
      provider: deps.provider,
      logger: deps.logger,
      ringChars: deps.settings.screenChars ?? 64_000,
      recorder: (sandbox, size) => this.newRecorder(sandbox, size),
      onCommand: (mark) => this.commandRan(mark),
      onShellEnded: (sandbox) => this.shellEnded(sandbox),
    });
    const statuses = initialTaskStatuses(
      lab.tasks,
      deps.store.completions(learnerId, lab.id),
      deps.store.lastAttempts(learnerId, lab.id),
    );
    for (const s of statuses) this.tasks.set(s.id, s);
    this.rounds = new CheckRounds({
      lab,
      learnerId,
      checks: deps.checks,
      store: deps.store,
      bus: deps.bus,
      logger: deps.logger,
      intervalMs: deps.settings.checkIntervalMs,
      work: this.platformWork,
      tasks: this.tasks,
      sandbox: () =>
        this.status.kind === 'ready' && !this.closed ? this.status.sandbox : undefined,
      lastActivityAt: () => this.activity.read().lastActivityAt,
      gone: (sessionId, detail) => this.sandboxGone(sessionId, detail),
      marker: (text) => this.terminal.marker(text),
      broadcast: (msg) => this.broadcast(msg),
    });
  }

  get sandboxStatus(): SandboxStatus {
    return this.status;
  }

  taskStatuses(): TaskStatus[] {
    return this.lab.tasks.map((t) => this.tasks.get(t.id)!);
  }

  /** The phase message a newly connected page should show. */
  statusMessage(): ServerMessage {
    const s = this.status;
    const msg = (phase: SandboxPhase, message: string): ServerMessage => ({
      v: PROTOCOL_VERSION,
      type: 'status',
      phase,
      message,
    });
    switch (s.kind) {
      case 'none':
        return msg('connecting', 'Connecting to your sandbox…');
      case 'starting':
        return msg(s.phase, s.message);
      case 'ready':
        return msg('ready', 'Your sandbox is ready.');
      case 'failed':
        return msg('failed', s.error.toLearner().message);
    }
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    this.updatePolling();
    return () => {
      this.listeners.delete(fn);
      this.updatePolling();
      // The last page closed while waiting in the queue: give the place to the next learner.
      if (this.listeners.size === 0) this.queueWait?.abort(LEFT_QUEUE);
    };
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  private broadcast(msg: ServerMessage): void {
    for (const fn of this.listeners) fn(msg);
  }

  private setPhase(phase: SandboxPhase, message: string, ready: Promise<ReadySandbox>): void {
    this.status = { kind: 'starting', phase, message, ready };
    this.broadcast({ v: PROTOCOL_VERSION, type: 'status', phase, message });
  }

  /** Resolves with a ready sandbox, creating or adopting one; concurrent callers share it. */
  start(): Promise<ReadySandbox> {
    const s = this.status;
    if (s.kind === 'ready') return Promise.resolve(s.sandbox);
    if (s.kind === 'starting') return s.ready;
    let resolveReady!: (sb: ReadySandbox) => void;
    let rejectReady!: (err: unknown) => void;
    const ready = new Promise<ReadySandbox>((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    ready.catch(() => {}); // Callers that care attach their own handler.
    this.status = {
      kind: 'starting',
      phase: 'connecting',
      message: 'Looking for your sandbox…',
      ready,
    };
    this.bringUp(ready).then(
      (sandbox) => {
        this.status = { kind: 'ready', sandbox };
        this.activity.start();
        void this.terminal.start(sandbox, this.previousScreen(sandbox));
        this.publishSandbox('ready');
        const message = this.restored.length
          ? `Your sandbox was recreated and brought back to where you were: ${this.restored.join('; ')}.`
          : 'Your sandbox is ready.';
        this.restored = [];
        this.broadcast({ v: PROTOCOL_VERSION, type: 'status', phase: 'ready', message });
        this.updatePolling();
        void this.runChecks('start');
        resolveReady(sandbox);
      },
      (err: unknown) => {
        if (err === LEFT_QUEUE) {
          // Nobody is waiting any more: back to no sandbox, quietly.
          this.status = { kind: 'none' };
          rejectReady(err);
          return;
        }
        const error = asSlipwayError(err);
        this.deps.logger.error('sandbox start failed', error, {
          learner: this.learnerId,
          lab: this.lab.id,
        });
        this.publishSandbox('failed', error.message);
        this.freeSlot();
        this.fail(error, 'failed', error.toLearner().message);
        rejectReady(error);
      },
    );
    return ready;
  }

  private async bringUp(ready: Promise<ReadySandbox>): Promise<ReadySandbox> {
    const { provider, store, settings, logger } = this.deps;
    const labels = { learner: this.learnerId, lab: this.lab.id };
    // A runner restart loses memory, not sandboxes: adopt a running one, clear dead ones.
    for (const found of await ownedSandboxes(provider, store, this.learnerId, this.lab.id)) {
      if (found.state === 'running' && this.status.kind === 'starting') {
        try {
          await waitUntilEngineReady(provider, found.id, { timeoutMs: 10_000 });
          if (!store.liveSandbox(this.learnerId, this.lab.id)) {
            store.sandboxStarted({
              sessionId: found.labels.session,
              learnerId: this.learnerId,
              labId: this.lab.id,
              sandboxId: found.id,
            });
          }
          // Already running: it keeps its place, even past capacity.
          this.releaseSlot ??= await this.deps.admission.acquire(this.slotKey, { force: true });
          logger.info('adopted sandbox', {
            sandbox: found.id,
            learner: this.learnerId,
            lab: this.lab.id,
          });
          return { id: found.id, sessionId: found.labels.session };
        } catch (err) {
          logger.warn('sandbox not adoptable; replacing it', {
            sandbox: found.id,
            error: (err as Error).message,
          });
        }
      }
      await provider.destroy(found.id);
      store.sandboxEnded(found.labels.session, `replaced (was ${found.state})`);
    }

    // A sandbox that died or vanished is replaced and brought back to where the learner was;
    // one the learner reset on purpose starts fresh.
    const previous = store.lastEndedSandbox(this.learnerId, this.lab.id);
    const restore = previous !== undefined && previous.endReason !== RESET_REASON;
    const pooled = await this.claimPooled();
    if (pooled) {
      // Its slot passed from the pool to this learner.
      this.releaseSlot ??= await this.deps.admission.acquire(this.slotKey, { force: true });
      if (restore) await this.restore(pooled.id, ready);
      return pooled;
    }
    this.queueWait = new AbortController();
    try {
      this.releaseSlot ??= await this.deps.admission.acquire(this.slotKey, {
        update: (u) => this.setPhase('queued', queuedMessage(u), ready),
        signal: this.queueWait.signal,
      });
    } finally {
      this.queueWait = undefined;
    }
    const sessionId = randomBytes(6).toString('hex');
    const info = await provisionSandbox(
      provider,
      this.lab,
      { instance: settings.instance, ...labels, session: sessionId },
      settings,
      {
        phase: (phase, message) => this.setPhase(phase, message, ready),
        created: (sb) =>
          store.sandboxStarted({
            sessionId,
            learnerId: this.learnerId,
            labId: this.lab.id,
            sandboxId: sb.id,
          }),
        abandoned: () => store.sandboxEnded(sessionId, 'failed to start'),
      },
    );
    if (restore) await this.restore(info.id, ready);
    return { id: info.id, sessionId };
  }

  /** A ready sandbox from the warm pool, if one is there and still running. */
  private async claimPooled(): Promise<ReadySandbox | undefined> {
    const pooled = this.deps.pool?.claim(this.lab.id, this.learnerId);
    if (!pooled) return undefined;
    const info = await this.deps.provider.inspect(pooled.sandboxId).catch(() => undefined);
    if (info?.state === 'running') {
      this.deps.logger.info('sandbox from the warm pool', {
        sandbox: pooled.sandboxId,
        learner: this.learnerId,
        lab: this.lab.id,
      });
      return { id: pooled.sandboxId, sessionId: pooled.sessionId };
    }
    await this.deps.provider.destroy(pooled.sandboxId).catch(() => {});
    this.deps.store.sandboxEnded(pooled.sessionId, 'pooled sandbox was not running');
    return undefined;
  }

  /** Brings a new sandbox back to the last completed task; the learner is told what was redone. */
  private async restore(sandboxId: string, ready: Promise<ReadySandbox>): Promise<void> {
    const done = new Set(
      this.deps.store.completions(this.learnerId, this.lab.id).map((c) => c.taskId),
    );
    const tasks = this.lab.tasks.filter((t) => done.has(t.id));
    if (tasks.length === 0) return;
    this.setPhase(
      'restoring',
      `Bringing your new sandbox back to where you were (${tasks.length} completed task${tasks.length === 1 ? '' : 's'})…`,
      ready,
    );
    await replaySolutions(this.deps, sandboxId, this.lab, tasks, this.deps.settings.setupTimeoutMs);
    this.restored = tasks.map((t) => t.title);
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
    this.rounds.poll(this.listeners.size > 0 && this.status.kind === 'ready');
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
    this.freeSlot();
    void this.terminal.stop();
    this.publishSandbox('stopped', detail);
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
  async stopIdle(reason: IdleReason, message: string): Promise<void> {
    if (this.status.kind !== 'ready') return;
    this.deps.logger.info('sandbox stopped', {
      reason,
      learner: this.learnerId,
      lab: this.lab.id,
    });
    await this.teardown(`stopped: ${reason}`, message);
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
    this.publishSandbox('stopped', endReason);
    const { provider, store } = this.deps;
    // Looked up before the row ends: a sandbox from the pool is found only through it.
    const owned = await ownedSandboxes(provider, store, this.learnerId, this.lab.id);
    if (current.kind === 'ready') {
      this.deps.store.sandboxEnded(current.sandbox.sessionId, endReason);
    }
    for (const found of owned) {
      await this.deps.provider.destroy(found.id);
      this.deps.store.sandboxEnded(found.labels.session, endReason);
    }
    this.freeSlot();
    this.broadcast({ v: PROTOCOL_VERSION, type: 'status', phase: 'stopped', message });
  }

  /** The ready sandbox's id; undefined while there is none. */
  get readySandboxId(): string | undefined {
    return this.status.kind === 'ready' ? this.status.sandbox.id : undefined;
  }

  /** Limits the sandbox is at, for its open pages (and pages opened later). */
  reportLimits(limits: LimitNotice[]): void {
    if (limits.length === 0 && this.limits.length === 0) return;
    this.limits = limits;
    this.broadcast(this.limitsMessage());
  }

  limitsMessage(): ServerMessage {
    return { v: PROTOCOL_VERSION, type: 'limits', limits: this.limits };
  }

  /** Stops the sandbox for going past a limit Slipway enforces (disk); progress is kept. */
  async stopForLimit(kind: LimitKind, message: string): Promise<void> {
    if (this.status.kind !== 'ready') return;
    this.deps.logger.info('sandbox stopped', {
      reason: kind,
      learner: this.learnerId,
      lab: this.lab.id,
    });
    await this.teardown(`stopped: ${kind} limit`, message);
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
    if (!this.lab.tasks.some((t) => t.id === taskId)) return;
    this.deps.store.recordLearnerEvent({
      learnerId: this.learnerId,
      labId: this.lab.id,
      taskId,
      kind,
    });
    this.deps.bus.publish({
      kind,
      learnerId: this.learnerId,
      labId: this.lab.id,
      taskId,
      at: new Date().toISOString(),
    });
  }

  private publishSandbox(
    state: 'starting' | 'ready' | 'stopped' | 'failed',
    detail?: string,
  ): void {
    this.deps.bus.publish({
      kind: 'sandbox',
      learnerId: this.learnerId,
      labId: this.lab.id,
      state,
      at: new Date().toISOString(),
      ...(detail ? { detail } : {}),
    });
  }

  private commandRan(mark: CommandMark): void {
    const s = this.status;
    if (s.kind !== 'ready' || this.closed) return;
    this.markActive(mark.finishedAt.getTime());
    try {
      this.deps.store.recordCommand({
        learnerId: this.learnerId,
        labId: this.lab.id,
        sessionId: s.sandbox.sessionId,
        ...mark,
      });
    } catch (err) {
      this.deps.logger.error('could not record a command', err, { lab: this.lab.id });
    }
    this.deps.bus.publish({
      kind: 'command',
      learnerId: this.learnerId,
      labId: this.lab.id,
      command: mark.command,
      exitCode: mark.exitCode,
      startedAt: mark.startedAt.toISOString(),
      at: mark.finishedAt.toISOString(),
    });
  }

  /** The screen of an adopted sandbox's shell, from the end of its recording. */
  private previousScreen(sandbox: ReadySandbox): string {
    const existing = this.deps.store.recordingForSession(sandbox.sessionId);
    return existing ? readCastTail(existing.path, this.deps.settings.screenChars ?? 64_000) : '';
  }

  private newRecorder(
    sandbox: ReadySandbox,
    size: { cols: number; rows: number },
  ): AsciicastRecorder | undefined {
    const rec = this.deps.recordings;
    if (!rec) return undefined;
    const title = `${this.lab.title} — ${this.learnerId}`;
    const existing = this.deps.store.recordingForSession(sandbox.sessionId);
    if (existing) {
      // The runner restarted: the same shell goes on, and so does its recording.
      return new AsciicastRecorder(
        { path: existing.path, ...size, maxBytes: rec.maxBytes, title },
        new Date(existing.startedAt),
      );
    }
    const now = new Date();
    const path = join(
      rec.dir,
      this.learnerId,
      this.lab.id,
      `${sandbox.sessionId}-${now.getTime()}.cast`,
    );
    try {
      this.deps.store.recordingStarted({
        learnerId: this.learnerId,
        labId: this.lab.id,
        sessionId: sandbox.sessionId,
        path,
        startedAt: now,
      });
    } catch (err) {
      this.deps.logger.error('could not register a recording', err, { lab: this.lab.id });
      return undefined;
    }
    return new AsciicastRecorder({ path, ...size, maxBytes: rec.maxBytes, title }, now);
  }

  /** The shell ended: a dead sandbox ends the session's sandbox, a live one gets a new shell. */
  private async shellEnded(sandbox: ReadySandbox): Promise<'respawn' | 'stop'> {
    // While the engine itself restarts (its exec streams all end), it cannot say whether the
    // sandbox lives: ask again for a while rather than declare it dead.
    const until = Date.now() + 120_000;
    for (let wait = 500; !this.closed; wait = Math.min(wait * 2, 5_000)) {
      let info: SandboxInfo | undefined;
      try {
        info = await this.deps.provider.inspect(sandbox.id);
      } catch (err) {
        const code = asSlipwayError(err).code;
        if ((code === 'ENGINE_UNAVAILABLE' || code === 'ENGINE_TIMEOUT') && Date.now() < until) {
          await new Promise((r) => setTimeout(r, wait));
          continue;
        }
        info = undefined;
      }
      if (info?.state === 'running') return 'respawn';
      const detail = info?.exit?.oomKilled
        ? 'it ran out of memory'
        : info
          ? `it exited with code ${info.exit?.code ?? '?'}`
          : 'it was removed';
      this.sandboxGone(sandbox.sessionId, detail);
      return 'stop';
    }
    return 'stop';
  }

  private get slotKey(): string {
    return `${this.learnerId}/${this.lab.id}`;
  }

  private freeSlot(): void {
    this.releaseSlot?.();
    this.releaseSlot = undefined;
  }

  /** The runner is stopping: no more timers, shell or writes. The sandbox keeps running. */
  async close(): Promise<void> {
    this.closed = true;
    await this.rounds.close();
    await this.terminal.stop();
  }
}
