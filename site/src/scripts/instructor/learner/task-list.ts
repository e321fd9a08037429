/** The learner page's tasks, lab by lab: done, failing or not tried, and the one they are on. */
import { h } from '../dom.ts';
import { cellInfo } from '../live-view.ts';
import type { LabOutline, RosterRow } from '../types.ts';

export function renderTaskList(
  box: HTMLElement,
  row: RosterRow,
  labs: readonly LabOutline[],
): void {
  box.replaceChildren(
    ...labs.map((lab) =>
      h(
        'div',
        { class: 'sw-task-lab' },
        h('h3', { class: 'sw-task-lab-title' }, lab.title),
        h(
          'ol',
          { class: 'sw-task-list' },
          ...lab.tasks.map((task, i) => {
            const info = cellInfo(task, row.cells[lab.id]?.[task.id]);
            const current = row.current?.labId === lab.id && row.current.taskId === task.id;
            return h(
              'li',
              {
                class: 'sw-task',
                'data-state': info.state,
                'data-regression': info.regression ? 'true' : false,
                'data-current': current ? 'true' : false,
                'data-testid': `learner-task-${lab.id}-${task.id}`,
              },
              h('span', {
                class: 'sw-cell-mark sw-cell-mark--task',
                'data-state': info.state,
                'aria-hidden': 'true',
              }),
              h(
                'span',
                { class: 'sw-task-text' },
                h('span', { class: 'sw-task-title' }, `${i + 1}. ${task.title}`),
                h('span', { class: 'sw-task-detail' }, info.details.join(' · ')),
              ),
              h('span', { class: 'sr-only' }, info.label),
            );
          }),
        ),
      ),
    ),
  );
}
