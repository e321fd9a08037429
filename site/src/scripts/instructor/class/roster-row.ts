/** One learner's row of the roster matrix: built once, then updated in place. */
import { pages } from '../api.ts';
import { h, setAttr, setText } from '../dom.ts';
import { dateTime, sandboxLabel } from '../format.ts';
import { cellInfo, currentText, tasksDone } from '../live-view.ts';
import { questionsCell } from '../questions-view.ts';
import {
  attemptsText,
  helpTitle,
  lastActiveText,
  renderStuck,
  timeOnTaskText,
} from '../row-facts.ts';
import type { LabOutline, RosterRow } from '../types.ts';
import { isActive } from './class-stats.ts';

/** Restarts a CSS animation on an element. */
function flash(el: HTMLElement, cls: string): void {
  el.classList.remove(cls);
  void el.offsetWidth;
  el.classList.add(cls);
}

const td = (cls: string) => h('td', { class: cls });

export class RosterRowView {
  readonly tr: HTMLTableRowElement;
  row: RosterRow | undefined;
  private readonly name = h('a', { class: 'sw-learner-name' });
  private readonly progress = h('span', { class: 'sw-learner-progress' });
  private readonly meter = h('span', { class: 'sw-meter-fill' });
  private readonly cells = new Map<string, HTMLTableCellElement>();
  private readonly nowLab = h('span', { class: 'sw-now-lab' });
  private readonly nowTask = h('span', { class: 'sw-now-task' });
  private readonly stuck = h('div', { class: 'sw-stuck', 'data-testid': 'stuck', hidden: true });
  private readonly time = td('sw-num sw-time');
  private readonly attempts = td('sw-num');
  private readonly help = td('sw-num');
  private readonly last = td('sw-last');
  private readonly sandbox = h('span', { class: 'sw-badge' });
  private readonly questions: HTMLTableCellElement;

  constructor(classId: string, labs: readonly LabOutline[], learnerId: string) {
    this.name.href = pages.learner(classId, learnerId);
    this.questions = h('td', {
      class: 'sw-num sw-questions-cell',
      'data-testid': `questions-${learnerId}`,
    });
    const cellTds = labs.flatMap((lab) =>
      lab.tasks.map((task, i) => {
        // The label is an attribute, not text: row text stays the learner's own words.
        const cell = h(
          'td',
          {
            class: `sw-cell${i === 0 ? ' sw-lab-start' : ''}`,
            'data-testid': `cell-${learnerId}-${lab.id}-${task.id}`,
            'data-state': 'untried',
          },
          h('span', { class: 'sw-cell-mark', role: 'img' }),
        );
        this.cells.set(`${lab.id}/${task.id}`, cell);
        return cell;
      }),
    );
    this.tr = h(
      'tr',
      { 'data-testid': `row-${learnerId}`, 'data-learner': learnerId, 'data-stuck': 'false' },
      h(
        'th',
        { scope: 'row', class: 'sw-col-learner' },
        h(
          'div',
          { class: 'sw-learner' },
          this.name,
          h(
            'span',
            { class: 'sw-learner-sub' },
            this.progress,
            h('span', { class: 'sw-meter', 'aria-hidden': 'true' }, this.meter),
          ),
        ),
      ),
      ...cellTds,
      this.questions,
      h('td', { class: 'sw-now' }, this.nowLab, this.nowTask, this.stuck),
      this.time,
      this.attempts,
      this.help,
      this.last,
      h('td', {}, this.sandbox),
    );
  }

  /** Shows a new row; with `highlight`, progress since the last one flashes. */
  update(row: RosterRow, labs: readonly LabOutline[], skewMs: number, highlight: boolean): void {
    setText(this.name, row.displayName);
    const { done, total } = tasksDone(row, labs);
    setText(this.progress, `${done} of ${total}`);
    this.meter.style.width = `${total > 0 ? (done / total) * 100 : 0}%`;
    this.tr.dataset.stuck = String(!!row.stuck);
    this.tr.dataset.complete = String(total > 0 && done === total);

    let cellChanged = false;
    for (const lab of labs)
      for (const task of lab.tasks) {
        const cell = this.cells.get(`${lab.id}/${task.id}`);
        if (!cell) continue;
        const info = cellInfo(task, row.cells[lab.id]?.[task.id]);
        const before = cell.dataset.state;
        setAttr(cell, 'data-state', info.state);
        setAttr(cell, 'data-regression', info.regression ? 'true' : null);
        const mark = cell.firstElementChild as HTMLElement;
        setAttr(mark, 'aria-label', [task.title, ...info.details].join('. '));
        cell.dataset.tip = [task.title, ...info.details].join('\n');
        if (highlight && before !== info.state) {
          cellChanged = true;
          flash(cell, 'sw-changed');
        }
      }

    const now = currentText(row, labs);
    setText(this.nowLab, now.lab);
    setText(this.nowTask, now.task);
    renderStuck(this.stuck, row);
    setText(this.attempts, attemptsText(row));
    setText(this.help, row.hints + row.solutions === 0 ? '—' : `${row.hints} / ${row.solutions}`);
    this.help.title = helpTitle(row);
    setText(this.sandbox, sandboxLabel(row.sandbox));
    setAttr(this.sandbox, 'data-state', row.sandbox);
    this.sandbox.title = row.sandbox === 'none' ? 'No sandbox running' : '';
    this.last.title = row.lastActivity ? dateTime(row.lastActivity) : '';
    setText(this.questions, questionsCell(row));
    // Flash the row only for progress (a task changed state, help needed or not), not for
    // every background check.
    if (highlight && (cellChanged || !!this.row?.stuck !== !!row.stuck))
      flash(this.tr, 'sw-row-flash');
    this.row = row;
    this.tick(skewMs);
  }

  /** The parts of the row that change with the clock. */
  tick(skewMs: number, now = Date.now()): void {
    const row = this.row;
    if (!row) return;
    setText(this.time, timeOnTaskText(row, skewMs, now));
    setText(this.last, lastActiveText(row, skewMs, now));
    this.tr.dataset.active = String(isActive(row, skewMs, now));
  }
}
