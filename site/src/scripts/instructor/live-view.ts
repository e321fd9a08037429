/**
 * The live class view as data: snapshots and `row` events of the class stream folded into one
 * state, plus everything the matrix shows, derived. Pure: the page only renders what this says.
 */
import { type ClockOptions, plural, timeOfDay } from './format.ts';
import type { ClassView, LabOutline, RosterCell, RosterRow, RowUpdate } from './types.ts';

export interface LiveClass {
  view: ClassView;
  /** The runner's clock minus the browser's, estimated from the latest message (ms). */
  skewMs: number;
}

/** The runner's "now" when it built a row: the start of the current task plus time on it. */
export function rowServerTime(row: RosterRow): number | undefined {
  if (!row.current || row.timeOnTaskMs === null || row.timeOnTaskMs <= 0) return undefined;
  const since = Date.parse(row.current.since);
  return Number.isNaN(since) ? undefined : since + row.timeOnTaskMs;
}

function skewFrom(rows: readonly RosterRow[], receivedAt: number, fallback: number): number {
  const skews = rows
    .map(rowServerTime)
    .filter((t): t is number => t !== undefined)
    .map((t) => t - receivedAt)
    .sort((a, b) => a - b);
  return skews.length > 0 ? skews[Math.floor(skews.length / 2)]! : fallback;
}

export function fromSnapshot(view: ClassView, receivedAt: number, previous?: LiveClass): LiveClass {
  return { view, skewMs: skewFrom(view.rows, receivedAt, previous?.skewMs ?? 0) };
}

/** Folds a `row` event in: the learner's row is replaced (or added), the counts are the new ones. */
export function applyRow(state: LiveClass, update: RowUpdate, receivedAt: number): LiveClass {
  const { row } = update;
  const known = state.view.rows.some((r) => r.learnerId === row.learnerId);
  const rows = known
    ? state.view.rows.map((r) => (r.learnerId === row.learnerId ? row : r))
    : [...state.view.rows, row];
  return {
    view: { ...state.view, rows, counts: update.counts ?? state.view.counts },
    skewMs: skewFrom([row], receivedAt, state.skewMs),
  };
}

/** Time on the current task now (it keeps growing between messages), or null. */
export function timeOnTask(row: RosterRow, skewMs: number, now: number): number | null {
  if (!row.current) return null;
  const since = Date.parse(row.current.since);
  if (Number.isNaN(since)) return row.timeOnTaskMs;
  return Math.max(0, now + skewMs - since);
}

/** Milliseconds since the learner last did anything, or null if they never did. */
export function sinceLastActivity(row: RosterRow, skewMs: number, now: number): number | null {
  if (!row.lastActivity) return null;
  const at = Date.parse(row.lastActivity);
  return Number.isNaN(at) ? null : Math.max(0, now + skewMs - at);
}

export function tasksDone(
  row: RosterRow,
  labs: readonly LabOutline[],
): { done: number; total: number } {
  let done = 0;
  let total = 0;
  for (const lab of labs)
    for (const task of lab.tasks) {
      total += 1;
      if (row.cells[lab.id]?.[task.id]?.state === 'done') done += 1;
    }
  return { done, total };
}

const stateWords: Record<RosterCell['state'], string> = {
  done: 'done',
  failing: 'not passing yet',
  untried: 'not tried yet',
};

export interface CellInfo {
  state: RosterCell['state'];
  /** Read out by screen readers: the task and its state. */
  label: string;
  /** Lines of the tooltip. */
  details: string[];
  /** Done, but its check fails again now. */
  regression: boolean;
}

/** What a cell of the matrix says about one task of one learner. */
export function cellInfo(
  task: { id: string; title: string },
  cell: RosterCell | undefined,
  clock: ClockOptions = {},
): CellInfo {
  const c: RosterCell = cell ?? { state: 'untried', attempts: 0 };
  const details: string[] = [];
  if (c.state === 'done') {
    const when = c.completedAt ? timeOfDay(c.completedAt, clock) : '';
    details.push(when ? `Done at ${when}` : 'Done');
  } else details.push(stateWords[c.state].replace(/^./, (x) => x.toUpperCase()));
  if (c.attempts > 0) details.push(plural(c.attempts, 'check'));
  if (c.state === 'failing' && c.reason) details.push(`Last check: ${c.reason}`);
  if (c.regression !== undefined) details.push(`Was done; now: ${c.regression}`);
  return {
    state: c.state,
    label: `${task.title}: ${stateWords[c.state]}${c.regression !== undefined ? ' but broken since' : ''}${c.attempts > 0 ? `, ${plural(c.attempts, 'check')}` : ''}`,
    details,
    regression: c.regression !== undefined,
  };
}

export interface TaskBar {
  labId: string;
  labTitle: string;
  taskId: string;
  taskTitle: string;
  /** 1-based position of the task in its lab. */
  number: number;
  count: number;
  total: number;
  /** count / total, 0 when the class is empty. */
  share: number;
}

/** The completion chart: for every task, how many learners of the class completed it. */
export function taskBars(view: Pick<ClassView, 'labs' | 'counts' | 'rows'>): TaskBar[] {
  const total = view.rows.length;
  return view.labs.flatMap((lab) =>
    lab.tasks.map((task, i) => {
      const count = view.counts[lab.id]?.[task.id] ?? 0;
      return {
        labId: lab.id,
        labTitle: lab.title,
        taskId: task.id,
        taskTitle: task.title,
        number: i + 1,
        count,
        total,
        share: total > 0 ? count / total : 0,
      };
    }),
  );
}

/** The task where most of the class stops: the biggest drop from one task to the next. */
export function bottleneck(bars: readonly TaskBar[]): TaskBar | undefined {
  let worst: TaskBar | undefined;
  let drop = 0;
  for (let i = 0; i < bars.length; i++) {
    const prev =
      i === 0 || bars[i - 1]!.labId !== bars[i]!.labId ? bars[i]!.total : bars[i - 1]!.count;
    const d = prev - bars[i]!.count;
    if (d > drop) {
      drop = d;
      worst = bars[i];
    }
  }
  return worst;
}

export type SortMode = 'name' | 'attention' | 'progress';

/**
 * Rows in the order the instructor asked for: by name (the runner's order), needing attention
 * first (stuck, then least progress), or most progress first.
 */
export function sortRows(
  rows: readonly RosterRow[],
  labs: readonly LabOutline[],
  mode: SortMode,
): RosterRow[] {
  const byName = (a: RosterRow, b: RosterRow) =>
    a.displayName.localeCompare(b.displayName, undefined, { sensitivity: 'base' });
  if (mode === 'name') return [...rows].sort(byName);
  const done = new Map(rows.map((r) => [r.learnerId, tasksDone(r, labs).done]));
  const d = (r: RosterRow) => done.get(r.learnerId) ?? 0;
  if (mode === 'progress') return [...rows].sort((a, b) => d(b) - d(a) || byName(a, b));
  return [...rows].sort(
    (a, b) => Number(!!b.stuck) - Number(!!a.stuck) || d(a) - d(b) || byName(a, b),
  );
}

/** Where the learner is: "Task 2 of 5 · Give Redis a named volume", or why there is no task. */
export function currentText(
  row: RosterRow,
  labs: readonly LabOutline[],
): { lab: string; task: string } {
  if (!row.current) {
    const { done, total } = tasksDone(row, labs);
    if (total > 0 && done === total) return { lab: 'All labs', task: 'Every task done' };
    if (!row.lastActivity) return { lab: '', task: 'Not started' };
    return { lab: '', task: done > 0 ? 'Between labs' : 'Not started a lab' };
  }
  const lab = labs.find((l) => l.id === row.current!.labId);
  const i = lab?.tasks.findIndex((t) => t.id === row.current!.taskId) ?? -1;
  const task = i >= 0 ? lab!.tasks[i]! : undefined;
  return {
    lab: lab?.title ?? row.current.labId,
    task: task ? `Task ${i + 1} of ${lab!.tasks.length}: ${task.title}` : row.current.taskId,
  };
}

/** A short description of a learner's state for the stuck banner of a row. */
export function stuckText(row: RosterRow): string | undefined {
  if (!row.stuck) return undefined;
  return row.stuck.reason ? `${row.stuck.why}. Last check: ${row.stuck.reason}` : row.stuck.why;
}
