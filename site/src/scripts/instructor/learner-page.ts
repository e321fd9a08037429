/**
 * /instructor/learner/?class=<classId>&id=<learnerId>: one learner. Their row (kept current by
 * the class stream), their tasks, their timeline, replays of their terminal sessions and a
 * live read-only view of their terminal.
 */
import { api, apiText, asFailure, isFailure, pages, paths } from './api.ts';
import { ClassStream, type StreamState } from './class-stream.ts';
import { h, loginUrl, problemPanel, required, setHeading, setText } from './dom.ts';
import {
  ago,
  dateTime,
  dayKey,
  duration,
  longDate,
  plural,
  sandboxLabel,
  timeOfDay,
} from './format.ts';
import { cellInfo, currentText, sinceLastActivity, tasksDone, timeOnTask } from './live-view.ts';
import { renderLearnerQuestions } from './questions-view.ts';
import { lastSize, parseCast } from './replay/asciicast.ts';
import { ReplayPlayer } from './replay/player.ts';
import { probeShadow, Shadow, type ShadowState } from './shadow.ts';
import {
  checksSummary,
  describeEntry,
  groupChecks,
  matchesFilter,
  recordingAt,
  type TimelineFilter,
  taskTitles,
} from './timeline.ts';
import type { ClassView, LabOutline, LearnerDetail, RecordingRef, RosterRow } from './types.ts';

const params = new URLSearchParams(location.search);
const classId = params.get('class') ?? '';
const learnerId = params.get('id') ?? '';

const root = required('[data-learner-page]');
const loading = required('[data-loading]', root);
const problemSlot = required('[data-learner-problem]', root);
const body = required('[data-learner-body]', root);
const banner = required('[data-testid="stream-banner"]', root);
const live = required('[data-testid="live-status"]', root);
const liveText = required('[data-live-text]', live);
const backLink = required<HTMLAnchorElement>('[data-back-class]', root);
const sub = required('[data-learner-sub]', root);
const stuckBox = required('[data-testid="learner-stuck"]', root);
const sum = (name: string) => required(`[data-sum="${name}"]`, root);
const taskLabs = required('[data-testid="learner-tasks"]', root);
const timelineList = required('[data-testid="timeline"]', root);
const questionsBox = required('[data-testid="learner-questions"]', root);
const timelineEmpty = required('[data-timeline-empty]', root);
const replayRoot = required('[data-replay]', root);
const recordingSelect = required<HTMLSelectElement>('[data-testid="replay-recording"]', root);
const reloadButton = required<HTMLButtonElement>('[data-testid="replay-reload"]', root);
const shadowLabs = required('[data-shadow-labs]', root);
const shadowFrame = required('[data-shadow-frame]', root);
const shadowScreen = required('[data-testid="shadow"]', root);
const shadowStatus = required('[data-testid="shadow-status"]', root);
const shadowStatusText = required('[data-shadow-status-text]', root);

let labs: LabOutline[] = [];
let className = '';
let detail: LearnerDetail | undefined;
let row: RosterRow | undefined;
let skewMs = 0;
let filter: TimelineFilter = 'all';
let loadedRecording: number | undefined;
let recordingSeq = 0;
let stream: ClassStream | undefined;
let shadow: Shadow | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let timelineCount = -1;
const player = new ReplayPlayer(replayRoot);

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
  shadow?.close();
  loading.hidden = true;
  body.hidden = true;
  const back = classId
    ? h(
        'a',
        { class: 'sw-button sw-button--quiet', href: pages.class(classId) },
        'Back to the class',
      )
    : h('a', { class: 'sw-button sw-button--quiet', href: pages.home }, 'Your classes');
  problemSlot.replaceChildren(
    f.kind === 'not-found'
      ? problemPanel(f, {
          title: f.code === 'LEARNER_NOT_FOUND' ? 'No such learner' : 'No such class',
          ...(f.code === 'LEARNER_NOT_FOUND' ? {} : { hint: NO_CLASS_HINT }),
          actions: [back],
        })
      : problemPanel(f, { retry: () => void start(), actions: [back] }),
  );
}

// ---------------------------------------------------------------- summary and tasks

function renderSummary(): void {
  if (!row) return;
  setHeading(row.displayName);
  const joined = detail?.member.joinedAt ?? row.joinedAt;
  setText(sub, `In ${className} · joined ${dateTime(joined)}`);
  const { done, total } = tasksDone(row, labs);
  setText(sum('progress'), `${done} of ${total}`);
  sum('meter').style.width = `${total > 0 ? (done / total) * 100 : 0}%`;
  const now = currentText(row, labs);
  setText(sum('now'), now.task);
  setText(sum('now-lab'), now.lab);
  setText(sum('attempts'), row.current ? String(row.attemptsOnTask) : '—');
  setText(sum('help'), `${row.hints} / ${row.solutions}`);
  sum('help').title =
    `${plural(row.hints, 'hint')} and ${plural(row.solutions, 'solution')} opened`;
  setText(sum('sandbox'), sandboxLabel(row.sandbox));
  sum('sandbox').dataset.state = row.sandbox;
  if (row.stuck) {
    stuckBox.replaceChildren(h('strong', {}, `Needs help: ${row.stuck.why}`));
    if (row.stuck.reason)
      stuckBox.append(h('span', { class: 'sw-stuck-reason' }, `Last check: ${row.stuck.reason}`));
    stuckBox.hidden = false;
  } else stuckBox.hidden = true;
  tick();
  renderTasks();
}

function tick(): void {
  if (!row) return;
  const now = Date.now();
  const t = timeOnTask(row, skewMs, now);
  setText(sum('time'), t === null ? '—' : duration(t));
  const idle = sinceLastActivity(row, skewMs, now);
  setText(sum('last'), idle === null ? 'never' : ago(idle));
  sum('last').title = row.lastActivity ? dateTime(row.lastActivity) : '';
}

function renderTasks(): void {
  if (!row) return;
  const r = row;
  taskLabs.replaceChildren(
    ...labs.map((lab) =>
      h(
        'div',
        { class: 'sw-task-lab' },
        h('h3', { class: 'sw-task-lab-title' }, lab.title),
        h(
          'ol',
          { class: 'sw-task-list' },
          ...lab.tasks.map((task, i) => {
            const info = cellInfo(task, r.cells[lab.id]?.[task.id]);
            const current = r.current?.labId === lab.id && r.current.taskId === task.id;
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
  renderLearnerQuestions(questionsBox, detail?.questions ?? []);
}

// ---------------------------------------------------------------- timeline

function replayButton(labId: string, at: string, lead: number): HTMLButtonElement | null {
  if (!detail) return null;
  const rec = recordingAt(detail.recordings, labId, at);
  if (!rec) return null;
  const b = h(
    'button',
    {
      type: 'button',
      class: 'sw-tl-replay',
      'data-testid': 'timeline-replay',
      title: 'Replay the terminal from here',
      'aria-label': `Replay the terminal from ${timeOfDay(at)}`,
    },
    '▶',
  );
  b.addEventListener('click', () => {
    void openRecording(rec.recording.id, {
      at: Math.max(0, rec.offset - lead),
      autoplay: true,
      scroll: true,
    });
  });
  return b;
}

function renderTimeline(): void {
  if (!detail) return;
  const titles = taskTitles(labs);
  const labTitle = new Map(labs.map((l) => [l.id, l.title]));
  const manyLabs = new Set(detail.timeline.map((e) => e.labId)).size > 1;
  const items = detail.timeline
    .map((e) => describeEntry(e, titles))
    .filter((i) => matchesFilter(i, filter));
  const labNote = (labId: string) => (manyLabs ? (labTitle.get(labId) ?? labId) : '');
  const nodes: HTMLElement[] = [];
  let day = '';
  for (const block of groupChecks(items)) {
    const at = block.kind === 'single' ? block.item.entry.at : block.at;
    const k = dayKey(at);
    if (k !== day) {
      day = k;
      nodes.push(h('li', { class: 'sw-tl-day' }, longDate(at)));
    }
    const time = h('time', { class: 'sw-tl-time', datetime: at }, timeOfDay(at));
    if (block.kind === 'checks') {
      const anyPassed = block.items.some((i) => i.entry.kind === 'check' && i.entry.passed);
      nodes.push(
        h(
          'li',
          {
            class: 'sw-tl-item sw-tl-group',
            'data-tone': anyPassed ? 'good' : 'warn',
            'data-kind': 'checks',
            'data-testid': 'timeline-checks',
          },
          time,
          h('span', { class: 'sw-tl-icon', 'aria-hidden': 'true' }, anyPassed ? '✓' : '✗'),
          h(
            'div',
            { class: 'sw-tl-body' },
            h('span', { class: 'sw-tl-title' }, checksSummary(block)),
            labNote(block.labId)
              ? h('span', { class: 'sw-tl-detail' }, labNote(block.labId))
              : null,
            h(
              'ul',
              { class: 'sw-tl-sub' },
              ...block.items.map((i) => {
                const e = i.entry;
                const passed = e.kind === 'check' && e.passed;
                const reason = e.kind === 'check' && !e.passed ? (e.reason ?? '') : '';
                return h(
                  'li',
                  { 'data-testid': 'timeline-check', 'data-tone': i.tone },
                  h('span', { class: 'sw-tl-mark', 'aria-hidden': 'true' }, i.icon),
                  h(
                    'span',
                    {},
                    h('span', { class: 'sr-only' }, passed ? 'Passed: ' : 'Not passing: '),
                    e.kind === 'check' || e.kind === 'completed'
                      ? (titles.get(`${e.labId}/${e.taskId}`) ?? e.taskId)
                      : i.title,
                    reason ? h('span', { class: 'sw-tl-reason' }, ` — ${reason}`) : null,
                  ),
                );
              }),
            ),
          ),
          replayButton(block.labId, block.at, 2),
        ),
      );
      continue;
    }
    const item = block.item;
    const detailText = [labNote(item.entry.labId), item.detail].filter(Boolean).join(' · ');
    nodes.push(
      h(
        'li',
        {
          class: 'sw-tl-item',
          'data-tone': item.tone,
          'data-kind': item.entry.kind,
          'data-testid': `timeline-${item.entry.kind}`,
        },
        time,
        h('span', { class: 'sw-tl-icon', 'aria-hidden': 'true' }, item.icon),
        h(
          'div',
          { class: 'sw-tl-body' },
          item.entry.kind === 'command'
            ? h('code', { class: 'sw-tl-command' }, item.title)
            : h('span', { class: 'sw-tl-title' }, item.title),
          detailText ? h('span', { class: 'sw-tl-detail' }, detailText) : null,
        ),
        // A command's time is when it finished: start a little before, to see it typed.
        item.entry.kind === 'completed'
          ? null
          : replayButton(item.entry.labId, item.entry.at, item.entry.kind === 'command' ? 4 : 2),
      ),
    );
  }
  const atBottom =
    timelineCount < 0 ||
    timelineList.scrollHeight - timelineList.scrollTop - timelineList.clientHeight < 40;
  timelineList.replaceChildren(...nodes);
  timelineEmpty.hidden = items.length > 0;
  timelineEmpty.textContent =
    detail.timeline.length === 0
      ? 'Nothing yet: the learner has not run a command or a check.'
      : 'Nothing of this kind yet.';
  // Newest is last: follow it, unless the instructor scrolled up to read.
  if (atBottom) timelineList.scrollTop = timelineList.scrollHeight;
  timelineCount = detail.timeline.length;
}

for (const chip of root.querySelectorAll<HTMLButtonElement>('[data-filter]')) {
  chip.addEventListener('click', () => {
    filter = (chip.dataset.filter as TimelineFilter) ?? 'all';
    for (const c of root.querySelectorAll('[data-filter]'))
      c.setAttribute('aria-pressed', String(c === chip));
    renderTimeline();
  });
}

// ---------------------------------------------------------------- recordings

const labName = (id: string) => labs.find((l) => l.id === id)?.title ?? id;

function renderRecordings(): void {
  const recs = [...(detail?.recordings ?? [])].reverse();
  const selected = recordingSelect.value;
  recordingSelect.replaceChildren(
    ...recs.map((r, i) =>
      h(
        'option',
        { value: r.id },
        `${labName(r.labId)} · ${dateTime(r.startedAt)}${i === 0 ? ' (latest)' : ''}`,
      ),
    ),
  );
  if (selected && recs.some((r) => String(r.id) === selected)) recordingSelect.value = selected;
  recordingSelect.disabled = recs.length === 0;
  reloadButton.disabled = recs.length === 0;
  if (recs.length === 0)
    player.message(
      'No terminal recordings yet. One starts when the learner opens a lab terminal.',
      'empty',
    );
}

async function openRecording(
  id: number,
  opts: { at?: number; autoplay?: boolean; keep?: boolean; scroll?: boolean } = {},
): Promise<void> {
  recordingSelect.value = String(id);
  if (opts.scroll) replayRoot.scrollIntoView({ behavior: 'smooth', block: 'start' });
  if (loadedRecording === id && player.loaded && !opts.keep) {
    if (opts.at !== undefined) player.seekRecording(opts.at);
    if (opts.autoplay) player.play();
    return;
  }
  const seq = ++recordingSeq;
  if (!opts.keep) player.message('Loading the recording…', 'loading');
  try {
    const text = await apiText(paths.recording(classId, learnerId, id));
    if (seq !== recordingSeq) return;
    loadedRecording = id;
    player.load(text, opts);
  } catch (err) {
    if (seq !== recordingSeq) return;
    const f = asFailure(err);
    if (f.kind === 'signed-out') return fail(f);
    loadedRecording = undefined;
    player.message(
      f.kind === 'not-found'
        ? 'This recording is gone: recordings are deleted after a while, or its file was removed.'
        : `Could not load the recording. ${f.message}`,
      'error',
    );
  }
}

recordingSelect.addEventListener('change', () => void openRecording(Number(recordingSelect.value)));
reloadButton.addEventListener('click', () => {
  const id = Number(recordingSelect.value);
  if (id) void openRecording(id, { keep: loadedRecording === id });
});

// ---------------------------------------------------------------- shadow

/** The learner's terminal size in a lab: the last size in their latest recording of it. */
async function terminalSize(labId: string): Promise<{ cols: number; rows: number }> {
  const rec = [...(detail?.recordings ?? [])].reverse().find((r) => r.labId === labId);
  if (!rec) return { cols: 100, rows: 28 };
  try {
    return lastSize(parseCast(await apiText(paths.recording(classId, learnerId, rec.id))));
  } catch {
    return { cols: 100, rows: 28 };
  }
}

function shadowState(state: ShadowState, text: string): void {
  shadowStatus.dataset.state = state;
  shadowStatusText.textContent = text;
}

async function openShadow(labId: string): Promise<void> {
  shadow?.close();
  shadow = undefined;
  shadowFrame.hidden = false;
  shadowState('connecting', `Connecting to the terminal in ${labName(labId)}…`);
  for (const b of shadowLabs.querySelectorAll<HTMLElement>('[data-lab]'))
    b.dataset.open = String(b.dataset.lab === labId);
  const size = await terminalSize(labId);
  shadow = new Shadow(shadowScreen, {
    classId,
    learnerId,
    labId,
    size,
    onState: (state, text) => {
      shadowState(state, state === 'live' ? `Live: ${labName(labId)} (read-only)` : text);
      const item = shadowLabs.querySelector<HTMLElement>(`[data-lab="${CSS.escape(labId)}"]`);
      if (item && (state === 'live' || state === 'unavailable')) markLab(item, state === 'live');
    },
  });
  shadowFrame.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
}

function markLab(item: HTMLElement, isLive: boolean | undefined): void {
  item.dataset.live = String(isLive);
  const badge = item.querySelector('[data-lab-state]');
  if (badge)
    badge.textContent =
      isLive === undefined ? 'checking…' : isLive ? 'terminal open' : 'no terminal open';
}

function renderShadowLabs(): void {
  shadowLabs.replaceChildren(
    ...labs.map((lab) => {
      const button = h(
        'button',
        {
          type: 'button',
          class: 'sw-button sw-button--quiet',
          'data-testid': `shadow-open-${lab.id}`,
        },
        'Watch live',
      );
      button.addEventListener('click', () => void openShadow(lab.id));
      return h(
        'li',
        { class: 'sw-shadow-lab', 'data-lab': lab.id, 'data-live': 'unknown' },
        h(
          'span',
          { class: 'sw-shadow-lab-name' },
          h('span', { class: 'sw-lab-dot', 'aria-hidden': 'true' }),
          lab.title,
        ),
        h('span', { class: 'sw-shadow-lab-state', 'data-lab-state': '' }, 'checking…'),
        button,
      );
    }),
  );
  if (labs.length === 0)
    shadowLabs.replaceChildren(h('li', { class: 'sw-muted' }, 'This class has no labs.'));
  void probeLabs();
}

/** Asks, lab by lab, whether the learner has a terminal open there. */
async function probeLabs(): Promise<void> {
  await Promise.all(
    labs.map(async (lab) => {
      const item = shadowLabs.querySelector<HTMLElement>(`[data-lab="${CSS.escape(lab.id)}"]`);
      if (!item) return;
      markLab(item, undefined);
      markLab(item, await probeShadow(classId, learnerId, lab.id));
    }),
  );
}

required('[data-testid="shadow-close"]', root).addEventListener('click', () => {
  shadow?.close();
  shadow = undefined;
  shadowFrame.hidden = true;
  for (const b of shadowLabs.querySelectorAll<HTMLElement>('[data-lab]')) b.dataset.open = 'false';
});

// ---------------------------------------------------------------- live updates

function renderLive(s: StreamState): void {
  live.dataset.state = s;
  liveText.textContent = {
    connecting: 'Connecting…',
    live: 'Live',
    reconnecting: 'Reconnecting…',
    offline: 'Offline',
  }[s];
  if (s === 'offline') {
    banner.replaceChildren(
      h('strong', {}, 'The lab service is not answering. '),
      'This page shows what it knew last and updates again as soon as the service is back.',
    );
    banner.hidden = false;
  } else banner.hidden = true;
}

function skewFrom(r: RosterRow, receivedAt: number): void {
  if (r.current && r.timeOnTaskMs !== null && r.timeOnTaskMs > 0)
    skewMs = Date.parse(r.current.since) + r.timeOnTaskMs - receivedAt;
}

/** Timeline and recordings again, a moment after the learner did something. */
function scheduleRefresh(): void {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    try {
      const fresh = await api<LearnerDetail>(paths.learner(classId, learnerId));
      const newRecording = (fresh.recordings.length ?? 0) !== (detail?.recordings.length ?? 0);
      detail = fresh;
      row = fresh.row;
      renderSummary();
      renderTimeline();
      if (newRecording) {
        renderRecordings();
        if (loadedRecording === undefined && fresh.recordings.length > 0)
          void openRecording(fresh.recordings.at(-1)!.id);
      }
    } catch (err) {
      if (isFailure(err, 'signed-out') || isFailure(err, 'not-found')) fail(err);
    }
  }, 800);
}

function openStream(): void {
  stream?.close();
  stream = new ClassStream(classId, {
    snapshot(view) {
      const r = view.rows.find((x) => x.learnerId === learnerId);
      if (!r) return;
      skewFrom(r, Date.now());
      row = r;
      labs = view.labs;
      renderSummary();
    },
    row(update) {
      if (update.row.learnerId !== learnerId) return;
      skewFrom(update.row, Date.now());
      row = update.row;
      renderSummary();
      // Background checks that changed nothing are not on the timeline: no need to ask again.
      const e = update.event;
      if (!(e.kind === 'check-attempt' && e.trigger === 'poll')) scheduleRefresh();
      if (e.kind === 'sandbox') void probeLabs();
    },
    state: renderLive,
    failed: (err) => {
      if (err.kind === 'signed-out') fail(err);
      else {
        banner.replaceChildren(h('strong', {}, 'Live updates stopped. '), err.message);
        banner.hidden = false;
        live.dataset.state = 'offline';
        liveText.textContent = 'Not live';
      }
    },
  });
  stream.open();
}

// ---------------------------------------------------------------- start

async function start(): Promise<void> {
  problemSlot.replaceChildren();
  loading.hidden = false;
  try {
    const [view, d] = await Promise.all([
      api<ClassView>(paths.class(classId)),
      api<LearnerDetail>(paths.learner(classId, learnerId)),
    ]);
    labs = view.labs;
    className = view.class.name;
    detail = d;
    row = d.row;
    skewFrom(d.row, Date.now());
  } catch (err) {
    fail(err);
    return;
  }
  backLink.href = pages.class(classId);
  backLink.textContent = `← ${className}`;
  loading.hidden = true;
  body.hidden = false;
  renderSummary();
  renderTimeline();
  renderRecordings();
  renderShadowLabs();
  const latest: RecordingRef | undefined = detail.recordings.at(-1);
  if (latest) void openRecording(latest.id);
  openStream();
}

if (!classId || !learnerId) {
  loading.hidden = true;
  problemSlot.replaceChildren(
    problemPanel(new Error('This address does not say which learner to show.'), {
      title: 'No learner picked',
      actions: [
        h('a', { class: 'sw-button sw-button--primary', href: pages.home }, 'Your classes'),
      ],
    }),
  );
} else {
  void start();
  setInterval(tick, 1000);
  window.addEventListener('pagehide', () => {
    stream?.close();
    shadow?.close();
    shadow = undefined;
    shadowFrame.hidden = true;
  });
  // Back from another page (the browser's page cache): the connections were closed on the way out.
  window.addEventListener('pageshow', (e) => {
    if (e.persisted && detail) {
      openStream();
      scheduleRefresh();
    }
  });
}
