/**
 * The roster matrix: a row per learner, a column per task. Rows are kept and updated in place
 * and only moved when the sort order asks for it, so a live update does not rebuild the table.
 */
import { h, required } from '../dom.ts';
import { type SortMode, sortRows } from '../live-view.ts';
import type { ClassView, LabOutline } from '../types.ts';
import { RosterRowView } from './roster-row.ts';

function headRows(labs: readonly LabOutline[]): HTMLTableRowElement[] {
  const info = (text: string, cls = '') =>
    h('th', { scope: 'col', rowspan: 2, class: `sw-col-info ${cls}` }, text);
  return [
    h(
      'tr',
      {},
      h('th', { scope: 'col', rowspan: 2, class: 'sw-col-learner' }, 'Learner'),
      ...labs.map((lab) =>
        h(
          'th',
          { scope: 'colgroup', colspan: Math.max(1, lab.tasks.length), class: 'sw-col-lab' },
          lab.title,
        ),
      ),
      info('Questions right'),
      info('Now on', 'sw-col-now'),
      info('Time on task'),
      info('Checks on it'),
      info('Hints / solutions'),
      info('Last active'),
      info('Sandbox'),
    ),
    h(
      'tr',
      {},
      ...labs.flatMap((lab) =>
        lab.tasks.map((task, i) =>
          h(
            'th',
            {
              scope: 'col',
              class: `sw-col-task${i === 0 ? ' sw-lab-start' : ''}`,
              'data-tip': `${lab.title}\nTask ${i + 1}: ${task.title}`,
            },
            h('span', { 'aria-hidden': 'true' }, String(i + 1)),
            h('span', { class: 'sr-only' }, task.title),
          ),
        ),
      ),
    ),
  ];
}

export class RosterMatrix {
  private readonly classId: string;
  private readonly head: HTMLElement;
  private readonly tbody: HTMLElement;
  private readonly wrap: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly rows = new Map<string, RosterRowView>();
  private labsKey = '';

  constructor(root: HTMLElement, classId: string) {
    this.classId = classId;
    this.head = required('[data-matrix-head]', root);
    this.tbody = required('[data-matrix-body]', root);
    this.wrap = required('[data-matrix-wrap]', root);
    this.empty = required('[data-roster-empty]', root);
  }

  /** The body, for the page's click-a-row handler. */
  get body(): HTMLElement {
    return this.tbody;
  }

  /** Shows the view; the row of `changed` (the learner who just did something) may flash. */
  render(view: ClassView, sort: SortMode, skewMs: number, changed?: string): void {
    const key = JSON.stringify(view.labs);
    if (key !== this.labsKey) {
      this.labsKey = key;
      this.head.replaceChildren(...headRows(view.labs));
      this.rows.clear();
      this.tbody.replaceChildren();
    }
    const rows = sortRows(view.rows, view.labs, sort);
    const seen = new Set<string>();
    rows.forEach((row, i) => {
      seen.add(row.learnerId);
      let els = this.rows.get(row.learnerId);
      const fresh = !els;
      if (!els) {
        els = new RosterRowView(this.classId, view.labs, row.learnerId);
        this.rows.set(row.learnerId, els);
      }
      if (fresh || els.row !== row)
        els.update(row, view.labs, skewMs, !fresh && row.learnerId === changed);
      // Keep the DOM in the sorted order, moving only what is out of place.
      if (this.tbody.children[i] !== els.tr)
        this.tbody.insertBefore(els.tr, this.tbody.children[i] ?? null);
    });
    for (const [id, els] of this.rows)
      if (!seen.has(id)) {
        els.tr.remove();
        this.rows.delete(id);
      }
    this.empty.hidden = rows.length > 0;
    this.wrap.hidden = rows.length === 0;
  }

  /** Time on task and last active move with the clock. */
  tick(skewMs: number): void {
    const now = Date.now();
    for (const r of this.rows.values()) r.tick(skewMs, now);
  }
}
