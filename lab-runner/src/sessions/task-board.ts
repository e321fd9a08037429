import type { LabTask } from '../labs/load-labs.ts';
import type { LastAttempt, TaskCompletion } from '../progress/progress-store.ts';
import type { TaskStatus } from '../protocol/index.ts';

/**
 * The learner's view of a lab's tasks, rebuilt from the store: completed tasks are passed for
 * good (with the reason when their check has failed again since); others show their last
 * failing reason, or are pending when never checked.
 */
export function initialTaskStatuses(
  tasks: readonly Pick<LabTask, 'id'>[],
  completions: readonly TaskCompletion[],
  last: readonly LastAttempt[],
): TaskStatus[] {
  const done = new Map(completions.map((c) => [c.taskId, c.completedAt]));
  const lastBy = new Map(last.map((a) => [a.taskId, a]));
  return tasks.map((t) => {
    const completedAt = done.get(t.id);
    const a = lastBy.get(t.id);
    if (completedAt) {
      const broken = a && !a.passed && a.at > completedAt;
      return {
        id: t.id,
        state: 'passed',
        completedAt,
        ...(broken ? { regression: { reason: a.reason ?? '', checkedAt: a.at } } : {}),
      };
    }
    if (a && !a.passed)
      return {
        id: t.id,
        state: 'failing',
        checkedAt: a.at,
        ...(a.reason ? { reason: a.reason } : {}),
      };
    return { id: t.id, state: 'pending' };
  });
}

/** Whether a new status is news to the learner (state, reason or regression changed). */
export function statusChanged(before: TaskStatus | undefined, after: TaskStatus): boolean {
  return (
    before === undefined ||
    before.state !== after.state ||
    before.reason !== after.reason ||
    before.regression?.reason !== after.regression?.reason
  );
}
