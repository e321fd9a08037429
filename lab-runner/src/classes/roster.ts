import type { LearnerActivity } from '../progress/activity-store.ts';
import type { LabOutline, RosterRowBase } from '../protocol/instructor-views.ts';
import { type StuckPolicy, stuckVerdict } from './stuck.ts';

export type { CellState, LabOutline, RosterCell } from '../protocol/instructor-views.ts';

/** A learner's row of the class view without their questions (the wire shape is in protocol/). */
export type RosterRow = RosterRowBase;

const maxIso = (...xs: Array<string | null | undefined>) =>
  xs
    .filter((x): x is string => !!x)
    .sort()
    .at(-1) ?? null;

/**
 * One learner's row of the class view: a cell per task of the class's labs, where they are
 * now (the lab of their latest activity, its first unfinished task), and whether they look
 * stuck. Pure: the same input gives the same row.
 */
export function rosterRow(
  member: { learnerId: string; displayName: string; joinedAt: string },
  labs: readonly LabOutline[],
  a: LearnerActivity,
  sandbox: (labId: string) => string,
  now: number,
  policy?: StuckPolicy,
): RosterRow {
  const done = new Map(a.completions.map((c) => [`${c.labId}/${c.taskId}`, c.completedAt]));
  const tries = new Map(a.attempts.map((t) => [`${t.labId}/${t.taskId}`, t]));
  const cells: RosterRow['cells'] = {};
  for (const lab of labs) {
    cells[lab.id] = {};
    // Background checks run every task from the start; a task counts as tried once the
    // learner has reached it (it is the first unfinished one, or before) and caused a check.
    const firstOpen = lab.tasks.findIndex((t) => !done.has(`${lab.id}/${t.id}`));
    lab.tasks.forEach((task, i) => {
      const key = `${lab.id}/${task.id}`;
      const t = tries.get(key);
      const completedAt = done.get(key);
      const reached = t !== undefined && t.userTotal > 0 && (firstOpen < 0 || i <= firstOpen);
      const broken = completedAt && t && !t.lastPassed && t.lastAt > completedAt;
      cells[lab.id]![task.id] = completedAt
        ? {
            state: 'done',
            attempts: t?.userTotal ?? 0,
            completedAt,
            ...(broken ? { regression: t.lastReason ?? '' } : {}),
          }
        : reached
          ? {
              state: 'failing',
              attempts: t.userTotal,
              ...(t.lastReason ? { reason: t.lastReason } : {}),
            }
          : { state: 'untried', attempts: t?.userTotal ?? 0 };
    });
  }

  const classLabs = new Set(labs.map((l) => l.id));
  const labActivity = (labId: string) =>
    maxIso(
      ...a.attempts.filter((t) => t.labId === labId).map((t) => t.lastAt),
      ...a.events.filter((e) => e.labId === labId).map((e) => e.at),
    );
  const currentLab = labs
    .map((l) => ({ id: l.id, at: labActivity(l.id) }))
    .filter((l) => l.at !== null)
    .sort((x, y) => (x.at! < y.at! ? 1 : -1))[0]?.id;
  const lab = labs.find((l) => l.id === currentLab);
  const next = lab?.tasks.find((t) => !done.has(`${lab.id}/${t.id}`));
  const labDone = !!lab && !next;

  let current: RosterRow['current'] = null;
  let lastProgress: string | null = null;
  if (lab) {
    const started =
      a.attempts
        .filter((t) => t.labId === lab.id)
        .map((t) => t.firstAt)
        .sort()[0] ?? null;
    lastProgress = maxIso(
      started,
      ...a.completions.filter((c) => c.labId === lab.id).map((c) => c.completedAt),
    );
    if (next && lastProgress) current = { labId: lab.id, taskId: next.id, since: lastProgress };
  }
  const onTask = current ? tries.get(`${current.labId}/${current.taskId}`) : undefined;
  const lastActivity = maxIso(
    a.lastCommandAt,
    ...a.attempts.map((t) => t.lastAt),
    ...a.events.map((e) => e.at),
  );
  const verdict = stuckVerdict(
    {
      lastProgressAt: lastProgress ? Date.parse(lastProgress) : undefined,
      lastActivityAt: lastActivity ? Date.parse(lastActivity) : undefined,
      failuresOnTask: onTask?.userFailures ?? 0,
      labDone,
    },
    now,
    policy,
  );
  const inClass = (labId: string | null) => labId !== null && classLabs.has(labId);
  return {
    ...member,
    cells,
    current,
    timeOnTaskMs: current ? Math.max(0, now - Date.parse(current.since)) : null,
    attemptsOnTask: onTask?.userTotal ?? 0,
    hints: a.events.filter((e) => e.kind === 'hint' && inClass(e.labId)).length,
    solutions: a.events.filter((e) => e.kind === 'solution' && inClass(e.labId)).length,
    lastActivity,
    sandbox: currentLab ? sandbox(currentLab) : 'none',
    stuck: verdict.stuck
      ? { why: verdict.why, reason: onTask?.lastPassed === false ? onTask.lastReason : null }
      : null,
  };
}

/** How many members completed each task: where the class stalls. */
export function completionCounts(
  rows: readonly RosterRow[],
  labs: readonly LabOutline[],
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const lab of labs) {
    out[lab.id] = {};
    for (const task of lab.tasks) {
      out[lab.id]![task.id] = rows.filter(
        (r) => r.cells[lab.id]?.[task.id]?.state === 'done',
      ).length;
    }
  }
  return out;
}
