/**
 * What both instructor pages say about one learner's row, as text: needing help, hints and
 * solutions, checks on the task, time and idleness. Pure, apart from `renderStuck`.
 */
import { h } from './dom.ts';
import { ago, duration, plural } from './format.ts';
import { sinceLastActivity, timeOnTask } from './live-view.ts';
import type { RosterRow } from './types.ts';

/** The "needs help" note: its headline and the last failing check, or null. */
export function stuckLines(row: RosterRow): { title: string; reason: string | null } | null {
  if (!row.stuck) return null;
  return {
    title: `Needs help: ${row.stuck.why}`,
    reason: row.stuck.reason ? `Last check: ${row.stuck.reason}` : null,
  };
}

/** Fills a stuck note (hidden when the learner is not stuck). */
export function renderStuck(box: HTMLElement, row: RosterRow): void {
  const s = stuckLines(row);
  box.hidden = !s;
  box.replaceChildren();
  if (!s) return;
  box.append(h('strong', {}, s.title));
  if (s.reason) box.append(h('span', { class: 'sw-stuck-reason' }, s.reason));
}

export const helpTitle = (row: RosterRow) =>
  `${plural(row.hints, 'hint')} and ${plural(row.solutions, 'solution')} opened`;

/** Checks the learner caused on the task they are on, or a dash between tasks. */
export const attemptsText = (row: RosterRow) => (row.current ? String(row.attemptsOnTask) : '—');

export const timeOnTaskText = (row: RosterRow, skewMs: number, now: number) => {
  const t = timeOnTask(row, skewMs, now);
  return t === null ? '—' : duration(t);
};

export const lastActiveText = (row: RosterRow, skewMs: number, now: number) => {
  const idle = sinceLastActivity(row, skewMs, now);
  return idle === null ? 'never' : ago(idle);
};
