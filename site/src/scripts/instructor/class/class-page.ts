/**
 * /instructor/class/?id=<classId>: the live class view. The first view comes from the JSON
 * API (its errors say plainly what is wrong), then the event stream keeps it current: a `row`
 * event updates that learner's row, the counts and the chart at once, without a reload.
 */
import { api, pages, paths } from '../api.ts';
import { ClassStream } from '../class-stream.ts';
import { h, required } from '../dom.ts';
import { applyRow, fromSnapshot, type LiveClass, type SortMode } from '../live-view.ts';
import { PageShell } from '../page-shell.ts';
import { renderClassQuestions } from '../questions-view.ts';
import type { ClassView } from '../types.ts';
import { ClassHeader } from './class-header.ts';
import { classStats, renderStats } from './class-stats.ts';
import { RosterMatrix } from './roster-matrix.ts';
import { renderChart } from './task-chart.ts';
import { wireTooltip } from './tooltip.ts';

const SORT_KEY = 'slipway.sort';
const SORTS: readonly SortMode[] = ['name', 'attention', 'progress'];

/** The sort the instructor picked last (this tab), or by name. */
export function savedSort(stored: string | null): SortMode {
  return SORTS.find((s) => s === stored) ?? 'name';
}

/** Finds the page's parts, wires them and loads the class. */
export function start(): void {
  const classId = new URLSearchParams(location.search).get('id') ?? '';
  let state: LiveClass | undefined;
  let stream: ClassStream | undefined;
  let sort = savedSort(sessionStorage.getItem(SORT_KEY));

  const shell = new PageShell({
    root: '[data-class-page]',
    problem: '[data-class-problem]',
    body: '[data-class-body]',
    back: () => h('a', { class: 'sw-button sw-button--quiet', href: pages.home }, 'Your classes'),
    stop: () => stream?.close(),
    load: async () => {
      const view = await api<ClassView>(paths.class(classId));
      received(view);
      shell.ready();
      openStream();
    },
  });
  const root = shell.root;
  if (!classId) {
    shell.nothingPicked(
      'No class picked',
      'This address does not say which class to show.',
      h(
        'a',
        { class: 'sw-button sw-button--primary', href: pages.home },
        'Pick one of your classes',
      ),
    );
    return;
  }

  const header = new ClassHeader(root);
  const matrix = new RosterMatrix(root, classId);
  const questions = required('[data-testid="class-questions"]', root);
  const stats = () => {
    if (state) renderStats(root, classStats(state.view, state.skewMs, Date.now()));
  };
  const render = (changed?: string) => {
    if (!state) return;
    const { view } = state;
    header.render(view);
    matrix.render(view, sort, state.skewMs, changed);
    renderChart(root, view);
    stats();
    renderClassQuestions(questions, view);
  };
  const received = (view: ClassView) => {
    shell.heard();
    state = fromSnapshot(view, shell.lastMessageAt, state);
    render();
  };
  const openStream = () => {
    stream?.close();
    stream = new ClassStream(classId, {
      snapshot: received,
      row(update) {
        if (!state) return;
        shell.heard();
        state = applyRow(state, update, shell.lastMessageAt);
        render(update.row.learnerId);
      },
      state: (s) => shell.showLive(s, () => stream?.open()),
      failed: (err) => shell.fail(err),
    });
    stream.open();
  };

  required<HTMLAnchorElement>('[data-testid="export-csv"]', root).href = paths.exportCsv(classId);
  required<HTMLAnchorElement>('[data-testid="export-json"]', root).href = paths.exportJson(classId);
  wireTooltip(root);
  matrix.body.addEventListener('click', (e) => {
    const target = e.target as Element;
    if (target.closest('a, button, input, select, textarea')) return;
    if (window.getSelection()?.toString()) return;
    const tr = target.closest<HTMLElement>('tr[data-learner]');
    if (tr?.dataset.learner) location.assign(pages.learner(classId, tr.dataset.learner));
  });
  const sortSelect = required<HTMLSelectElement>('[data-testid="roster-sort"]', root);
  sortSelect.value = sort;
  sortSelect.addEventListener('change', () => {
    sort = savedSort(sortSelect.value);
    sessionStorage.setItem(SORT_KEY, sort);
    render();
  });

  void shell.start();
  // Back from another page (the browser's page cache): the stream may have been cut meanwhile.
  window.addEventListener('pageshow', (e) => {
    if (e.persisted) void shell.start();
  });
  setInterval(() => {
    if (!state) return;
    matrix.tick(state.skewMs);
    stats();
  }, 1000);
}
