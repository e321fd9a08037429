/** The class page's counters: learners, active now, needing help, finished. */
import { required, setText } from '../dom.ts';
import { sinceLastActivity, tasksDone } from '../live-view.ts';
import type { ClassView, RosterRow } from '../types.ts';

/** Active: did anything in the last five minutes. */
export const ACTIVE_MS = 5 * 60_000;

export const isActive = (row: RosterRow, skewMs: number, now: number) => {
  const idle = sinceLastActivity(row, skewMs, now);
  return idle !== null && idle < ACTIVE_MS;
};

export interface ClassStats {
  learners: number;
  active: number;
  stuck: number;
  finished: number;
}

export function classStats(view: ClassView, skewMs: number, now: number): ClassStats {
  return {
    learners: view.rows.length,
    active: view.rows.filter((r) => isActive(r, skewMs, now)).length,
    stuck: view.rows.filter((r) => r.stuck).length,
    finished: view.rows.filter((r) => {
      const { done, total } = tasksDone(r, view.labs);
      return total > 0 && done === total;
    }).length,
  };
}

export function renderStats(root: HTMLElement, stats: ClassStats): void {
  for (const name of ['learners', 'active', 'stuck', 'finished'] as const)
    setText(required(`[data-stat="${name}"]`, root), String(stats[name]));
  required('[data-stat="stuck"]', root)
    .closest('.sw-stat')
    ?.setAttribute('data-alert', String(stats.stuck > 0));
}
