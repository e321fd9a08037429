/**
 * /instructor/class/?id=<classId>: the live class view. The first view comes from the JSON
 * API (its errors say plainly what is wrong), then the event stream keeps it current: a `row`
 * event updates that learner's row, the counts and the chart at once, without a reload.
 */
import { type ApiFailure, api, asFailure, pages, paths } from './api.ts';
import { ClassStream, type StreamState } from './class-stream.ts';
import {
  copyButton,
  h,
  loginUrl,
  problemPanel,
  required,
  setAttr,
  setHeading,
  setText,
} from './dom.ts';
import { ago, dateTime, duration, plural, sandboxLabel, timeOfDay } from './format.ts';
import {
  applyRow,
  bottleneck,
  cellInfo,
  currentText,
  fromSnapshot,
  type LiveClass,
  type SortMode,
  sinceLastActivity,
  sortRows,
  taskBars,
  tasksDone,
  timeOnTask,
} from './live-view.ts';
import { questionsCell, renderClassQuestions } from './questions-view.ts';
import type { ClassView, LabOutline, RosterRow } from './types.ts';

const ACTIVE_MS = 5 * 60_000;

const root = required('[data-class-page]');
const loading = required('[data-loading]', root);
const problemSlot = required('[data-class-problem]', root);
const body = required('[data-class-body]', root);
const banner = required('[data-testid="stream-banner"]', root);
const live = required('[data-testid="live-status"]', root);
const liveText = required('[data-live-text]', live);
const sub = required('[data-class-sub]', root);
const codeEl = required('[data-testid="class-join-code"]', root);
const linkEl = required<HTMLInputElement>('[data-testid="class-join-link"]', root);
const exportCsv = required<HTMLAnchorElement>('[data-testid="export-csv"]', root);
const exportJson = required<HTMLAnchorElement>('[data-testid="export-json"]', root);
const head = required('[data-matrix-head]', root);
const tbody = required('[data-matrix-body]', root);
const wrap = required('[data-matrix-wrap]', root);
const empty = required('[data-roster-empty]', root);
const chart = required('[data-testid="task-chart"]', root);
const chartNote = required('[data-chart-note]', root);
const sortSelect = required<HTMLSelectElement>('[data-testid="roster-sort"]', root);
const tooltip = required('[data-tooltip]', root);
const questionList = required('[data-testid="class-questions"]', root);
const stat = (name: string) => required(`[data-stat="${name}"]`, root);

const classId = new URLSearchParams(location.search).get('id') ?? '';

let state: LiveClass | undefined;
let labsKey = '';
let lastMessageAt = 0;
let sortMode: SortMode = (sessionStorage.getItem('slipway.sort') as SortMode | null) ?? 'name';
let stream: ClassStream | undefined;

interface RowEls {
  tr: HTMLTableRowElement;
  name: HTMLAnchorElement;
  progress: HTMLElement;
  meter: HTMLElement;
  cells: Map<string, { td: HTMLTableCellElement; mark: HTMLElement; label: HTMLElement }>;
  nowLab: HTMLElement;
  nowTask: HTMLElement;
  stuck: HTMLElement;
  time: HTMLElement;
  attempts: HTMLElement;
  help: HTMLElement;
  last: HTMLElement;
  sandbox: HTMLElement;
  questions: HTMLElement;
  row: RosterRow | undefined;
}
const rowEls = new Map<string, RowEls>();

// ---------------------------------------------------------------- failures

/** The runner's hint for an unknown class speaks to learners; instructors get their own. */
const NO_CLASS_HINT =
  'The link may be incomplete, or the class belongs to another instructor. Pick it from your classes.';

function fail(err: unknown): void {
  const f = asFailure(err);
  if (f.kind === 'signed-out') {
    location.assign(loginUrl());
    return;
  }
  stream?.close();
  loading.hidden = true;
  body.hidden = true;
  const back = h('a', { class: 'sw-button sw-button--quiet', href: pages.home }, 'Your classes');
  problemSlot.replaceChildren(
    f.kind === 'not-found'
      ? problemPanel(f, { title: 'No such class', hint: NO_CLASS_HINT, actions: [back] })
      : problemPanel(f, { retry: () => void start(), actions: [back] }),
  );
}

// ---------------------------------------------------------------- header

function renderHeader(view: ClassView): void {
  setHeading(view.class.name);
  setText(codeEl, view.class.joinCode);
  const link = pages.join(location.origin, view.class.joinCode);
  if (linkEl.value !== link) linkEl.value = link;
  const labs = view.labs.map((l) => l.title).join(', ') || 'no labs';
  setText(
    sub,
    `${plural(view.rows.length, 'learner')} · ${plural(view.labs.length, 'lab')}: ${labs} · created ${dateTime(view.class.createdAt)}`,
  );
}

function renderLive(s: StreamState): void {
  live.dataset.state = s;
  const words: Record<StreamState, string> = {
    connecting: 'Connecting…',
    live: 'Live',
    reconnecting: 'Reconnecting…',
    offline: 'Offline',
  };
  liveText.textContent = words[s];
  live.title = lastMessageAt ? `Last update at ${timeOfDay(lastMessageAt)}` : '';
  body.dataset.stale = String(s === 'offline');
  if (s === 'offline') {
    const retry = h('button', { type: 'button', class: 'sw-button sw-button--quiet' }, 'Retry now');
    retry.addEventListener('click', () => stream?.open());
    banner.replaceChildren(
      h('strong', {}, 'The lab service is not answering. '),
      `This view shows what it knew${lastMessageAt ? ` at ${timeOfDay(lastMessageAt)}` : ''} and updates again as soon as the service is back. `,
      retry,
    );
    banner.hidden = false;
  } else banner.hidden = true;
}

// ---------------------------------------------------------------- matrix

function renderHead(labs: readonly LabOutline[]): void {
  const stickyHead = (text: string, cls = '') =>
    h('th', { scope: 'col', rowspan: 2, class: `sw-col-info ${cls}` }, text);
  head.replaceChildren(
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
      stickyHead('Questions right'),
      stickyHead('Now on', 'sw-col-now'),
      stickyHead('Time on task'),
      stickyHead('Checks on it'),
      stickyHead('Hints / solutions'),
      stickyHead('Last active'),
      stickyHead('Sandbox'),
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
  );
}

function createRow(labs: readonly LabOutline[], learnerId: string): RowEls {
  const name = h('a', { class: 'sw-learner-name', href: pages.learner(classId, learnerId) });
  const progress = h('span', { class: 'sw-learner-progress' });
  const meter = h('span', { class: 'sw-meter-fill' });
  const cells: RowEls['cells'] = new Map();
  const cellTds = labs.flatMap((lab) =>
    lab.tasks.map((task, i) => {
      // The label is an attribute, not text: row text stays the learner's own words.
      const mark = h('span', { class: 'sw-cell-mark', role: 'img' });
      const label = mark;
      const td = h(
        'td',
        {
          class: `sw-cell${i === 0 ? ' sw-lab-start' : ''}`,
          'data-testid': `cell-${learnerId}-${lab.id}-${task.id}`,
          'data-state': 'untried',
        },
        mark,
      );
      cells.set(`${lab.id}/${task.id}`, { td, mark, label });
      return td;
    }),
  );
  const nowLab = h('span', { class: 'sw-now-lab' });
  const nowTask = h('span', { class: 'sw-now-task' });
  const stuck = h('div', { class: 'sw-stuck', 'data-testid': 'stuck', hidden: true });
  const time = h('td', { class: 'sw-num sw-time' });
  const attempts = h('td', { class: 'sw-num' });
  const help = h('td', { class: 'sw-num' });
  const last = h('td', { class: 'sw-last' });
  const sandbox = h('span', { class: 'sw-badge' });
  const questions = h('td', {
    class: 'sw-num sw-questions-cell',
    'data-testid': `questions-${learnerId}`,
  });
  const tr = h(
    'tr',
    { 'data-testid': `row-${learnerId}`, 'data-learner': learnerId, 'data-stuck': 'false' },
    h(
      'th',
      { scope: 'row', class: 'sw-col-learner' },
      h(
        'div',
        { class: 'sw-learner' },
        name,
        h(
          'span',
          { class: 'sw-learner-sub' },
          progress,
          h('span', { class: 'sw-meter', 'aria-hidden': 'true' }, meter),
        ),
      ),
    ),
    ...cellTds,
    questions,
    h('td', { class: 'sw-now' }, nowLab, nowTask, stuck),
    time,
    attempts,
    help,
    last,
    h('td', {}, sandbox),
  );
  return {
    tr,
    name,
    progress,
    meter,
    cells,
    nowLab,
    nowTask,
    stuck,
    time,
    attempts,
    help,
    last,
    sandbox,
    questions,
    row: undefined,
  };
}

function updateRow(els: RowEls, row: RosterRow, labs: readonly LabOutline[], flash: boolean): void {
  setText(els.name, row.displayName);
  const { done, total } = tasksDone(row, labs);
  setText(els.progress, `${done} of ${total}`);
  els.meter.style.width = `${total > 0 ? (done / total) * 100 : 0}%`;
  els.tr.dataset.stuck = String(!!row.stuck);
  els.tr.dataset.complete = String(total > 0 && done === total);

  let cellChanged = false;
  for (const lab of labs)
    for (const task of lab.tasks) {
      const c = els.cells.get(`${lab.id}/${task.id}`);
      if (!c) continue;
      const info = cellInfo(task, row.cells[lab.id]?.[task.id]);
      const before = c.td.dataset.state;
      setAttr(c.td, 'data-state', info.state);
      setAttr(c.td, 'data-regression', info.regression ? 'true' : null);
      setAttr(c.label, 'aria-label', [task.title, ...info.details].join('. '));
      c.td.dataset.tip = [task.title, ...info.details].join('\n');
      if (flash && before !== info.state) {
        cellChanged = true;
        c.td.classList.remove('sw-changed');
        void c.td.offsetWidth;
        c.td.classList.add('sw-changed');
      }
    }

  const now = currentText(row, labs);
  setText(els.nowLab, now.lab);
  setText(els.nowTask, now.task);
  if (row.stuck) {
    els.stuck.hidden = false;
    els.stuck.replaceChildren(h('strong', {}, `Needs help: ${row.stuck.why}`));
    if (row.stuck.reason)
      els.stuck.append(h('span', { class: 'sw-stuck-reason' }, `Last check: ${row.stuck.reason}`));
  } else {
    els.stuck.hidden = true;
    els.stuck.replaceChildren();
  }
  setText(els.attempts, row.current ? String(row.attemptsOnTask) : '—');
  setText(els.help, row.hints + row.solutions === 0 ? '—' : `${row.hints} / ${row.solutions}`);
  els.help.title = `${plural(row.hints, 'hint')} and ${plural(row.solutions, 'solution')} opened`;
  setText(els.sandbox, sandboxLabel(row.sandbox));
  setAttr(els.sandbox, 'data-state', row.sandbox);
  els.sandbox.title = row.sandbox === 'none' ? 'No sandbox running' : '';
  els.last.title = row.lastActivity ? dateTime(row.lastActivity) : '';
  setText(els.questions, questionsCell(row));
  // Flash the row only for progress (a task changed state, help needed or not), not for
  // every background check.
  if (flash && (cellChanged || !!els.row?.stuck !== !!row.stuck)) {
    els.tr.classList.remove('sw-row-flash');
    void els.tr.offsetWidth;
    els.tr.classList.add('sw-row-flash');
  }
  els.row = row;
  tick1(els);
}

/** The parts of a row that change with the clock. */
function tick1(els: RowEls): void {
  const row = els.row;
  if (!row || !state) return;
  const now = Date.now();
  const onTask = timeOnTask(row, state.skewMs, now);
  setText(els.time, onTask === null ? '—' : duration(onTask));
  const idle = sinceLastActivity(row, state.skewMs, now);
  setText(els.last, idle === null ? 'never' : ago(idle));
  els.tr.dataset.active = String(idle !== null && idle < ACTIVE_MS);
}

function renderMatrix(view: ClassView, changed: string | undefined): void {
  const key = JSON.stringify(view.labs);
  if (key !== labsKey) {
    labsKey = key;
    renderHead(view.labs);
    rowEls.clear();
    tbody.replaceChildren();
  }
  const rows = sortRows(view.rows, view.labs, sortMode);
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    seen.add(row.learnerId);
    let els = rowEls.get(row.learnerId);
    const fresh = !els;
    if (!els) {
      els = createRow(view.labs, row.learnerId);
      rowEls.set(row.learnerId, els);
    }
    if (fresh || els.row !== row)
      updateRow(els, row, view.labs, !fresh && row.learnerId === changed);
    // Keep the DOM in the sorted order, moving only what is out of place.
    if (tbody.children[i] !== els.tr) tbody.insertBefore(els.tr, tbody.children[i] ?? null);
  });
  for (const [id, els] of rowEls)
    if (!seen.has(id)) {
      els.tr.remove();
      rowEls.delete(id);
    }
  empty.hidden = rows.length > 0;
  wrap.hidden = rows.length === 0;
}

// ---------------------------------------------------------------- chart and stats

function renderChart(view: ClassView): void {
  const bars = taskBars(view);
  const worst = bottleneck(bars);
  chart.replaceChildren(
    ...view.labs.map((lab) =>
      h(
        'div',
        { class: 'sw-chart-lab' },
        h('h3', { class: 'sw-chart-lab-title' }, lab.title),
        h(
          'ol',
          { class: 'sw-bars' },
          ...bars
            .filter((b) => b.labId === lab.id)
            .map((b) =>
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
                  h('span', {
                    class: 'sw-bar-fill',
                    style: `width:${(b.share * 100).toFixed(1)}%`,
                  }),
                ),
                h('span', { class: 'sw-bar-value' }, `${b.count} of ${b.total}`),
              ),
            ),
        ),
      ),
    ),
  );
  if (view.labs.length === 0)
    chart.replaceChildren(h('p', { class: 'sw-muted' }, 'The modules of this class have no labs.'));
  chartNote.textContent =
    worst && worst.total > 0
      ? `Most learners stop before task ${worst.number}, “${worst.taskTitle}”.`
      : view.rows.length === 0
        ? 'Bars fill in as learners complete tasks.'
        : '';
}

function renderStats(view: ClassView): void {
  const now = Date.now();
  setText(stat('learners'), String(view.rows.length));
  setText(
    stat('active'),
    String(
      view.rows.filter((r) => {
        const idle = state ? sinceLastActivity(r, state.skewMs, now) : null;
        return idle !== null && idle < ACTIVE_MS;
      }).length,
    ),
  );
  const stuck = view.rows.filter((r) => r.stuck).length;
  setText(stat('stuck'), String(stuck));
  stat('stuck')
    .closest('.sw-stat')
    ?.setAttribute('data-alert', String(stuck > 0));
  setText(
    stat('finished'),
    String(
      view.rows.filter((r) => {
        const { done, total } = tasksDone(r, view.labs);
        return total > 0 && done === total;
      }).length,
    ),
  );
}

function render(changed?: string): void {
  if (!state) return;
  const { view } = state;
  renderHeader(view);
  renderMatrix(view, changed);
  renderChart(view);
  renderStats(view);
  renderClassQuestions(questionList, view);
}

// ---------------------------------------------------------------- tooltip

function showTip(target: HTMLElement): void {
  const text = target.dataset.tip;
  if (!text) return;
  tooltip.textContent = text;
  tooltip.hidden = false;
  const r = target.getBoundingClientRect();
  const t = tooltip.getBoundingClientRect();
  const left = Math.min(
    window.innerWidth - t.width - 8,
    Math.max(8, r.left + r.width / 2 - t.width / 2),
  );
  const above = r.top - t.height - 8;
  tooltip.style.left = `${left}px`;
  tooltip.style.top = `${above > 8 ? above : r.bottom + 8}px`;
}

root.addEventListener('mouseover', (e) => {
  const target = (e.target as Element).closest<HTMLElement>('[data-tip]');
  if (target) showTip(target);
  else tooltip.hidden = true;
});
root.addEventListener('mouseleave', () => {
  tooltip.hidden = true;
});
window.addEventListener(
  'scroll',
  () => {
    tooltip.hidden = true;
  },
  { passive: true },
);

// ---------------------------------------------------------------- start

tbody.addEventListener('click', (e) => {
  const target = e.target as Element;
  if (target.closest('a, button, input, select, textarea')) return;
  if (window.getSelection()?.toString()) return;
  const tr = target.closest<HTMLElement>('tr[data-learner]');
  if (tr?.dataset.learner) location.assign(pages.learner(classId, tr.dataset.learner));
});

sortSelect.value = sortMode;
sortSelect.addEventListener('change', () => {
  sortMode = sortSelect.value as SortMode;
  sessionStorage.setItem('slipway.sort', sortMode);
  render();
});

async function start(): Promise<void> {
  problemSlot.replaceChildren();
  loading.hidden = false;
  try {
    const view = await api<ClassView>(paths.class(classId));
    lastMessageAt = Date.now();
    state = fromSnapshot(view, lastMessageAt, state);
    loading.hidden = true;
    body.hidden = false;
    render();
  } catch (err) {
    fail(err);
    return;
  }
  stream?.close();
  stream = new ClassStream(classId, {
    snapshot(view) {
      lastMessageAt = Date.now();
      state = fromSnapshot(view, lastMessageAt, state);
      render();
    },
    row(update) {
      if (!state) return;
      lastMessageAt = Date.now();
      state = applyRow(state, update, lastMessageAt);
      render(update.row.learnerId);
    },
    state: renderLive,
    failed: (err: ApiFailure) => fail(err),
  });
  stream.open();
}

if (!classId) {
  loading.hidden = true;
  problemSlot.replaceChildren(
    problemPanel(new Error('This address does not say which class to show.'), {
      title: 'No class picked',
      actions: [
        h(
          'a',
          { class: 'sw-button sw-button--primary', href: pages.home },
          'Pick one of your classes',
        ),
      ],
    }),
  );
} else {
  exportCsv.href = paths.exportCsv(classId);
  exportJson.href = paths.exportJson(classId);
  copyButtons();
  void start();
  // Back from another page (the browser's page cache): the stream may have been cut meanwhile.
  window.addEventListener('pageshow', (e) => {
    if (e.persisted) void start();
  });
  setInterval(() => {
    for (const els of rowEls.values()) tick1(els);
    if (state) renderStats(state.view);
  }, 1000);
}

function copyButtons(): void {
  required('[data-copy-code]', root).replaceWith(
    copyButton('Copy code', () => codeEl.textContent ?? '', 'copy-join-code'),
  );
  required('[data-copy-link]', root).replaceWith(
    copyButton('Copy link', () => linkEl.value, 'copy-join-link'),
  );
}
