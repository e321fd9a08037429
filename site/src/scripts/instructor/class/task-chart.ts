/** The class page's chart: per task, how many learners completed it, and where most stop. */
import { h, required } from '../dom.ts';
import { bottleneck, type TaskBar, taskBars } from '../live-view.ts';
import type { ClassView } from '../types.ts';

/** The sentence under the chart. */
export function chartNote(view: ClassView, worst: TaskBar | undefined): string {
  return worst && worst.total > 0
    ? `Most learners stop before task ${worst.number}, “${worst.taskTitle}”.`
    : view.rows.length === 0
      ? 'Bars fill in as learners complete tasks.'
      : '';
}

const bar = (b: TaskBar, worst: TaskBar | undefined) =>
  h(
    'li',
    {
      class: 'sw-bar',
      'data-testid': `task-bar-${b.labId}-${b.taskId}`,
      'data-count': b.count,
      'data-bottleneck': worst === b ? 'true' : false,
    },
    h(
      'span',
      { class: 'sw-bar-label' },
      h('span', { class: 'sw-bar-num' }, String(b.number)),
      b.taskTitle,
    ),
    h(
      'span',
      { class: 'sw-bar-track', 'aria-hidden': 'true' },
      h('span', { class: 'sw-bar-fill', style: `width:${(b.share * 100).toFixed(1)}%` }),
    ),
    h('span', { class: 'sw-bar-value' }, `${b.count} of ${b.total}`),
  );

export function renderChart(root: HTMLElement, view: ClassView): void {
  const chart = required('[data-testid="task-chart"]', root);
  const bars = taskBars(view);
  const worst = bottleneck(bars);
  if (view.labs.length === 0)
    chart.replaceChildren(h('p', { class: 'sw-muted' }, 'The modules of this class have no labs.'));
  else
    chart.replaceChildren(
      ...view.labs.map((lab) =>
        h(
          'div',
          { class: 'sw-chart-lab' },
          h('h3', { class: 'sw-chart-lab-title' }, lab.title),
          h(
            'ol',
            { class: 'sw-bars' },
            ...bars.filter((b) => b.labId === lab.id).map((b) => bar(b, worst)),
          ),
        ),
      ),
    );
  required('[data-chart-note]', root).textContent = chartNote(view, worst);
}
