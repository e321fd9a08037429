import type { CheckRunner } from '../checks/check-runner.ts';
import { asSlipwayError } from '../errors/catalogue.ts';
import type { LabTask } from '../labs/load-labs.ts';
import type { CheckTrigger } from '../protocol/index.ts';
import { FollowUps } from './follow-ups.ts';
import type { PlatformWork } from './platform-work.ts';
import { pollDue } from './poll-policy.ts';
import type { ReadySandbox } from './sandbox-status.ts';
import { TaskResults, type TaskResultsDeps } from './task-results.ts';

export interface CheckRoundsDeps extends TaskResultsDeps {
  checks: Pick<CheckRunner, 'runAll'>;
  /** How often an open lab polls when its sandbox's engine activity cannot be heard. */
  intervalMs: number;
  /** How often it polls while that activity is heard (a backstop: rounds follow the activity). */
  quietIntervalMs: number;
  /** The sandbox engine's activity (SandboxProvider.watchActivity), until the signal aborts. */
  watchActivity(sandboxId: string, onActivity: () => void, signal: AbortSignal): Promise<void>;
  /** Counts the checks as the platform's own work in the sandbox (not the learner's). */
  work: PlatformWork;
  /** The sandbox to check; undefined while there is no ready one (rounds then do nothing). */
  sandbox(): ReadySandbox | undefined;
  lastActivityAt(): number;
  /**
   * A check found no sandbox to run in; the provider decides whether it is gone (a checker can
   * vanish before the provider knows why, e.g. with its Swarm node).
   */
  lost(sandbox: ReadySandbox): void;
}

const triggerRank: Record<CheckTrigger, number> = { poll: 0, start: 1, command: 2, click: 3 };
/**
 * A change in the engine comes in bursts (`compose up`): its round waits for this much calm,
 * but no longer than SETTLE_MAX_MS after the first change.
 */
const SETTLE_MS = 300;
/** Rounds after a command that did not finish the task the learner is on (see FollowUps). */
const FOLLOW_UP_MS = [2_000, 5_000];
const SETTLE_MAX_MS = 1500;

/**
 * The checks of one learner's lab: after a command, on Check (the current task), at start,
 * and while a page is open, when the sandbox's engine reports a change and on a poll (rare
 * while that activity is heard; it is the platform's own rounds, recorded as `poll`).
 * Overlapping requests coalesce into one rerun; every result is recorded, published to the
 * instructor's view and, when it changed (or was asked for), sent to pages.
 */
export class CheckRounds {
  private readonly deps: CheckRoundsDeps;
  private pollTimer: NodeJS.Timeout | undefined;
  /** When the last round started (the poll policy skips a tick right after one). */
  private lastCheckAt = 0;
  private commandTimer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  /** The current task's own check, run beside a round that was already under way. */
  private quickCheck: Promise<void> | undefined;
  private rerun: CheckTrigger | undefined;
  /** The engine activity followed, of which sandbox; `heard` until the watch ends. */
  private watch: { sandbox: string; stop: AbortController; heard: boolean } | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private settleSince = 0;

  private readonly results: TaskResults;
  private readonly followUps = new FollowUps(FOLLOW_UP_MS, () => void this.run('poll'));

  constructor(deps: CheckRoundsDeps) {
    this.deps = deps;
    this.results = new TaskResults(deps);
  }

  /** A command was entered in the terminal: check shortly after it has had time to act. */
  commandEntered(): void {
    clearTimeout(this.commandTimer);
    this.commandTimer = setTimeout(() => void this.run('command'), 600);
    this.followUps.commandEntered(this.currentTask()?.id);
  }

  /** Runs every unfinished task's check; overlapping requests coalesce into one rerun. */
  run(trigger: CheckTrigger): Promise<void> {
    const sandbox = this.deps.sandbox();
    if (!sandbox) return Promise.resolve();
    if (this.checking) {
      // The task the learner is on does not wait behind a round already under way.
      const current = this.currentTask();
      if (trigger !== 'poll' && current && !this.quickCheck) {
        this.quickCheck = this.checkGroup(sandbox, [current], trigger).finally(() => {
          this.quickCheck = undefined;
        });
        if (trigger === 'click') return this.checking; // a click asks about that task only
      }
      if (this.rerun === undefined || triggerRank[trigger] > triggerRank[this.rerun])
        this.rerun = trigger;
      return this.checking;
    }
    this.lastCheckAt = Date.now();
    if (trigger !== 'click') {
      // This round sees every change reported so far: a round waiting for them is not needed.
      clearTimeout(this.settleTimer);
      this.settleTimer = undefined;
    }
    this.checking = this.checkAll(sandbox, trigger).finally(() => {
      this.checking = undefined;
      this.followUps.roundDone((id) => this.deps.tasks.get(id)?.state === 'passed');
      const next = this.rerun;
      this.rerun = undefined;
      if (next !== undefined) void this.run(next);
    });
    return this.checking;
  }

  /** The task the learner is on: the first one not yet passed. */
  private currentTask(): LabTask | undefined {
    return this.deps.lab.tasks.find((t) => this.deps.tasks.get(t.id)?.state !== 'passed');
  }

  /**
   * Checks every unfinished task in one exec; Check (a click) asks about the current task
   * only, and polls and finished commands catch the others. The current task runs first and
   * its result is recorded and sent as soon as it is known, so after Enter the learner does
   * not wait for the rest of the round. After a command (or at start), completed tasks are
   * checked too, last: a command is what breaks one again. Polls check a completed task only
   * while it is broken again, so that it mends by itself once the state settles (a container
   * still starting when the command's round looked at it).
   */
  private async checkAll(sandbox: ReadySandbox, trigger: CheckTrigger): Promise<void> {
    const status = (t: LabTask) => this.deps.tasks.get(t.id);
    const passed = (t: LabTask) => status(t)?.state === 'passed';
    const pending = this.deps.lab.tasks.filter((t) => !passed(t));
    const broken = this.deps.lab.tasks.filter((t) => passed(t) && status(t)?.regression);
    const targets =
      trigger === 'click'
        ? pending.slice(0, 1)
        : trigger === 'poll'
          ? [...pending, ...broken]
          : [...pending, ...this.deps.lab.tasks.filter(passed)];
    if (targets.length > 0) await this.checkGroup(sandbox, targets, trigger);
  }

  /** Runs these tasks' checks in one exec, recording each as it ends. */
  private async checkGroup(
    sandbox: ReadySandbox,
    pending: readonly LabTask[],
    trigger: CheckTrigger,
  ): Promise<void> {
    const { checks, logger } = this.deps;
    const startedAt = Date.now();
    try {
      await this.deps.work.track(() =>
        checks.runAll(sandbox.id, pending, undefined, (i, outcome) =>
          this.results.record(pending[i]!, outcome, trigger, startedAt),
        ),
      );
    } catch (err) {
      const e = asSlipwayError(err);
      if (e.code === 'SANDBOX_GONE') this.deps.lost(sandbox);
      else logger.error('checks could not run', e, { lab: this.deps.lab.id });
    }
  }

  /**
   * Follows the engine's activity and polls while `want` (a page is open on a ready sandbox);
   * stops both otherwise.
   */
  poll(want: boolean): void {
    this.follow(want ? this.deps.sandbox()?.id : undefined);
    if (want && !this.pollTimer) {
      this.pollTimer = setInterval(() => {
        const due = pollDue({
          now: Date.now(),
          lastCheckAt: this.lastCheckAt,
          lastActivityAt: this.deps.lastActivityAt(),
          intervalMs: this.watch?.heard ? this.deps.quietIntervalMs : this.deps.intervalMs,
        });
        if (due) void this.run('poll');
      }, this.deps.intervalMs);
      this.pollTimer.unref();
    } else if (!want && this.pollTimer) {
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
    }
  }

  private follow(sandbox: string | undefined): void {
    if (this.watch && this.watch.sandbox !== sandbox) {
      this.watch.stop.abort();
      this.watch = undefined;
      clearTimeout(this.settleTimer);
      this.settleTimer = undefined;
    }
    if (!sandbox || this.watch) return;
    const watch = { sandbox, stop: new AbortController(), heard: true };
    this.watch = watch;
    this.deps
      .watchActivity(sandbox, () => this.engineChanged(), watch.stop.signal)
      .catch((err) => {
        this.deps.logger.warn('engine activity not heard; polling instead', {
          lab: this.deps.lab.id,
          error: String(err),
        });
      })
      .finally(() => {
        // Not heard any more (or never could be): polls come at their full rate.
        watch.heard = false;
      });
  }

  /** The engine reported a change: a round once the burst has settled. */
  private engineChanged(): void {
    const now = Date.now();
    if (this.settleTimer && now - this.settleSince >= SETTLE_MAX_MS - SETTLE_MS) return;
    if (!this.settleTimer) this.settleSince = now;
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      void this.run('poll');
    }, SETTLE_MS);
  }

  /**
   * Resolves once no round is under way, dropping those that were waiting: for a sandbox about
   * to be removed (a round still running then would meet its checker gone, and make another).
   */
  async settled(): Promise<void> {
    clearTimeout(this.commandTimer);
    this.followUps.cancel();
    clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    await Promise.all([this.checking, this.quickCheck].map((p) => p?.catch(() => {})));
  }

  /** Stops timers and waits for a round under way. */
  async close(): Promise<void> {
    clearTimeout(this.commandTimer);
    this.followUps.cancel();
    this.poll(false);
    await this.checking?.catch(() => {});
  }
}
