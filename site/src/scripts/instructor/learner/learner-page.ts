/**
 * /instructor/learner/?class=<classId>&id=<learnerId>: one learner. Their row (kept current by
 * the class stream), their tasks, their timeline, replays of their terminal sessions and a
 * live read-only view of their terminal.
 */
import { api, isFailure, pages, paths } from '../api.ts';
import { ClassStream } from '../class-stream.ts';
import { h, required } from '../dom.ts';
import { rowServerTime } from '../live-view.ts';
import { PageShell } from '../page-shell.ts';
import { renderLearnerQuestions } from '../questions-view.ts';
import type { ClassView, LabOutline, LearnerDetail, RosterRow } from '../types.ts';
import { LearnerSummary } from './learner-summary.ts';
import { RecordingsView } from './recordings-view.ts';
import { renderTaskList } from './task-list.ts';
import { TerminalsView } from './terminals-view.ts';
import { TimelineView } from './timeline-view.ts';

/** Whether a stream event changes the timeline (background checks that changed nothing do not). */
export const changesTimeline = (e: { kind: string; trigger?: string }) =>
  !(e.kind === 'check-attempt' && e.trigger === 'poll');

/** Finds the page's parts, wires them and loads the learner. */
export function start(): void {
  const params = new URLSearchParams(location.search);
  const classId = params.get('class') ?? '';
  const learnerId = params.get('id') ?? '';
  let labs: LabOutline[] = [];
  let className = '';
  let detail: LearnerDetail | undefined;
  let row: RosterRow | undefined;
  let skewMs = 0;
  let stream: ClassStream | undefined;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;

  const shell = new PageShell({
    root: '[data-learner-page]',
    problem: '[data-learner-problem]',
    body: '[data-learner-body]',
    back: () =>
      classId
        ? h(
            'a',
            { class: 'sw-button sw-button--quiet', href: pages.class(classId) },
            'Back to the class',
          )
        : h('a', { class: 'sw-button sw-button--quiet', href: pages.home }, 'Your classes'),
    stop: () => {
      stream?.close();
      terminals?.close();
    },
    load: async () => {
      const [view, d] = await Promise.all([
        api<ClassView>(paths.class(classId)),
        api<LearnerDetail>(paths.learner(classId, learnerId)),
      ]);
      labs = view.labs;
      className = view.class.name;
      shown(d);
      const back = required<HTMLAnchorElement>('[data-back-class]', root);
      back.href = pages.class(classId);
      back.textContent = `← ${className}`;
      shell.ready();
      renderAll();
      terminals.render(labs, d.terminals);
      const latest = d.recordings.at(-1);
      if (latest) void recordings.open(latest.id);
      openStream();
    },
  });
  const root = shell.root;
  if (!classId || !learnerId) {
    shell.nothingPicked(
      'No learner picked',
      'This address does not say which learner to show.',
      h('a', { class: 'sw-button sw-button--primary', href: pages.home }, 'Your classes'),
    );
    return;
  }

  const labName = (id: string) => labs.find((l) => l.id === id)?.title ?? id;
  const summary = new LearnerSummary(root);
  const taskBox = required('[data-testid="learner-tasks"]', root);
  const questionsBox = required('[data-testid="learner-questions"]', root);
  const recordings = new RecordingsView(root, classId, learnerId, (f) => shell.fail(f));
  const timeline = new TimelineView(root, (id, at) => {
    void recordings.open(id, { at, autoplay: true, scroll: true });
  });
  const terminals = new TerminalsView(root, {
    classId,
    learnerId,
    labName,
    recordings: () => detail?.recordings ?? [],
    recordingText: (id) => recordings.text(id),
  });

  const setRow = (r: RosterRow) => {
    const serverNow = rowServerTime(r);
    if (serverNow !== undefined) skewMs = serverNow - Date.now();
    row = r;
  };
  const shown = (d: LearnerDetail) => {
    detail = d;
    setRow(d.row);
  };
  const renderSummary = () => {
    if (!row) return;
    summary.render(row, labs, className, detail?.member.joinedAt ?? row.joinedAt, skewMs);
    renderTaskList(taskBox, row, labs);
    renderLearnerQuestions(questionsBox, detail?.questions ?? []);
  };
  const renderAll = () => {
    renderSummary();
    if (!detail) return;
    timeline.render(detail.timeline, labs, detail.recordings);
    recordings.render(detail.recordings, labName);
  };

  /** Timeline, recordings and open terminals again, a moment after the learner did something. */
  const scheduleRefresh = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(async () => {
      try {
        const fresh = await api<LearnerDetail>(paths.learner(classId, learnerId));
        const newRecording = fresh.recordings.length !== (detail?.recordings.length ?? 0);
        shown(fresh);
        renderSummary();
        timeline.render(fresh.timeline, labs, fresh.recordings);
        terminals.mark(fresh.terminals);
        if (newRecording) {
          recordings.render(fresh.recordings, labName);
          const latest = fresh.recordings.at(-1);
          if (recordings.loaded === undefined && latest) void recordings.open(latest.id);
        }
      } catch (err) {
        if (isFailure(err, 'signed-out') || isFailure(err, 'not-found')) shell.fail(err);
      }
    }, 800);
  };

  const openStream = () => {
    stream?.close();
    stream = new ClassStream(classId, {
      snapshot(view) {
        shell.heard();
        const r = view.rows.find((x) => x.learnerId === learnerId);
        if (!r) return;
        setRow(r);
        labs = view.labs;
        renderSummary();
      },
      row(update) {
        shell.heard();
        if (update.row.learnerId !== learnerId) return;
        setRow(update.row);
        renderSummary();
        if (changesTimeline(update.event)) scheduleRefresh();
      },
      state: (s) => shell.showLive(s, () => stream?.open()),
      failed: (err) => {
        if (err.kind === 'signed-out') shell.fail(err);
        else shell.showStopped(err.message);
      },
    });
    stream.open();
  };

  void shell.start();
  setInterval(() => summary.tick(skewMs), 1000);
  window.addEventListener('pagehide', () => {
    stream?.close();
    terminals.close();
  });
  // Back from another page (the browser's page cache): the connections were closed on the way out.
  window.addEventListener('pageshow', (e) => {
    if (e.persisted && detail) {
      openStream();
      scheduleRefresh();
    }
  });
}
