import type { TimedOutcome } from '../checks/check-runner.ts';
import type { Logger } from '../errors/log.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Lab, LabTask } from '../labs/load-labs.ts';
import type { ProgressStore } from '../progress/progress-store.ts';
import {
  type CheckTrigger,
  PROTOCOL_VERSION,
  type ServerMessage,
  type TaskStatus,
} from '../protocol/index.ts';
import { statusChanged } from './task-board.ts';

export interface TaskResultsDeps {
  lab: Lab;
  learnerId: string;
  store: ProgressStore;
  bus: EventBus;
  logger: Logger;
  /** Task statuses by id, shared with the session: results update them. */
  tasks: Map<string, TaskStatus>;
  /** A line in the learner's terminal (a task turned green or red). */
  marker(text: string): void;
  broadcast(msg: ServerMessage): void;
}

/**
 * What a check's outcome means for one learner's task: stored, published to the instructor's
 * views and, when it is news (or was asked for), sent to the pages and marked in the terminal.
 * A completed task stays completed; a later failure shows as its regression.
 */
export class TaskResults {
  private readonly deps: TaskResultsDeps;

  constructor(deps: TaskResultsDeps) {
    this.deps = deps;
  }

  /** Records one check's outcome, publishes it, and tells the pages when it changed or was asked for. */
  record(task: LabTask, outcome: TimedOutcome, trigger: CheckTrigger, startedAt: number): void {
    const before = this.deps.tasks.get(task.id);
    if (before?.state === 'passed') {
      this.recheck(task, before, outcome, trigger, startedAt);
      return;
    }
    if (outcome.kind === 'broken')
      this.deps.logger.warn('check script is broken', {
        lab: this.deps.lab.id,
        task: task.id,
        detail: outcome.detail,
      });
    const stored = this.store(task, outcome, trigger);
    if (!stored) return;
    const { at, reason, completedNow } = stored;
    const after: TaskStatus = outcome.passed
      ? { id: task.id, state: 'passed', checkedAt: at, completedAt: at }
      : { id: task.id, state: 'failing', checkedAt: at, ...(reason ? { reason } : {}) };
    this.deps.tasks.set(task.id, after);
    if (completedNow)
      this.deps.bus.publish({
        learnerId: this.deps.learnerId,
        labId: this.deps.lab.id,
        taskId: task.id,
        at,
        kind: 'task-completed',
      });
    if (statusChanged(before, after)) {
      this.deps.marker(outcome.passed ? `✓ ${task.id}` : `✗ ${task.id}: ${reason ?? ''}`);
    }
    if (statusChanged(before, after) || trigger === 'click') {
      this.deps.broadcast({ v: PROTOCOL_VERSION, type: 'task', task: after, trigger });
    }
  }

  /**
   * A completed task's check again: it stays completed, but the learner (and the instructor)
   * see "was done; now: <reason>" while it fails, until it passes again. Only changes are
   * stored, so rechecks do not pile up as attempts.
   */
  private recheck(
    task: LabTask,
    before: TaskStatus,
    outcome: TimedOutcome,
    trigger: CheckTrigger,
    startedAt: number,
  ): void {
    // A round that started before the task was completed says nothing about it now; a check
    // that timed out or broke says nothing about the learner's work.
    if (before.completedAt && startedAt < Date.parse(before.completedAt)) return;
    if (outcome.kind === 'timeout' || outcome.kind === 'broken') return;
    if ((outcome.passed ? undefined : outcome.reason) === before.regression?.reason) return;
    const stored = this.store(task, outcome, trigger);
    if (!stored) return;
    const { regression: _, ...rest } = before;
    const { reason, at } = stored;
    const after: TaskStatus = reason ? { ...rest, regression: { reason, checkedAt: at } } : rest;
    this.deps.tasks.set(task.id, after);
    this.deps.marker(
      reason ? `✗ ${task.id} was done; now: ${reason}` : `✓ ${task.id} (done again)`,
    );
    this.deps.broadcast({ v: PROTOCOL_VERSION, type: 'task', task: after, trigger });
  }

  /** Stores one attempt and publishes it to the instructor's views; undefined when the store failed. */
  private store(
    task: LabTask,
    outcome: TimedOutcome,
    trigger: CheckTrigger,
  ): { at: string; reason: string | undefined; completedNow: boolean } | undefined {
    const { learnerId, lab } = this.deps;
    const at = new Date();
    const reason = outcome.passed ? undefined : outcome.reason;
    let completedNow = false;
    try {
      completedNow = this.deps.store.recordAttempt({
        learnerId,
        labId: lab.id,
        taskId: task.id,
        passed: outcome.passed,
        reason,
        trigger,
        durationMs: outcome.durationMs,
        at,
      });
    } catch (err) {
      this.deps.logger.error('could not record a check attempt', err, {
        lab: lab.id,
        task: task.id,
      });
      return undefined;
    }
    this.deps.bus.publish({
      learnerId,
      labId: lab.id,
      taskId: task.id,
      at: at.toISOString(),
      kind: 'check-attempt',
      passed: outcome.passed,
      trigger,
      durationMs: outcome.durationMs,
      ...(reason ? { reason } : {}),
    });
    return { at: at.toISOString(), reason, completedNow };
  }
}
