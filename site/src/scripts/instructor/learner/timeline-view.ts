/**
 * The learner page's timeline: entries by day, background checks grouped, a ▶ on each that a
 * recording covers, filter chips. Newest is last and followed unless the reader scrolled up.
 */
import { h, required } from '../dom.ts';
import { dayKey, longDate, timeOfDay } from '../format.ts';
import {
  checksSummary,
  describeEntry,
  groupChecks,
  matchesFilter,
  recordingAt,
  type TimelineBlock,
  type TimelineFilter,
  type TimelineItem,
  taskTitles,
} from '../timeline.ts';
import type { LabOutline, RecordingRef, TimelineEntry } from '../types.ts';

/** Plays a recording from an offset (seconds). */
export type ReplayFrom = (recordingId: number, offset: number) => void;

/** Why the list is empty: nothing at all yet, or nothing of the chosen kind. */
export const emptyText = (entries: number) =>
  entries === 0
    ? 'Nothing yet: the learner has not run a command or a check.'
    : 'Nothing of this kind yet.';

interface Context {
  titles: ReadonlyMap<string, string>;
  labNote: (labId: string) => string;
  replay: (labId: string, at: string, lead: number) => HTMLButtonElement | null;
}

function checksNode(block: Extract<TimelineBlock, { kind: 'checks' }>, c: Context): HTMLElement {
  const anyPassed = block.items.some((i) => i.entry.kind === 'check' && i.entry.passed);
  const sub = block.items.map((i) => {
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
          ? (c.titles.get(`${e.labId}/${e.taskId}`) ?? e.taskId)
          : i.title,
        reason ? h('span', { class: 'sw-tl-reason' }, ` — ${reason}`) : null,
      ),
    );
  });
  return h(
    'li',
    {
      class: 'sw-tl-item sw-tl-group',
      'data-tone': anyPassed ? 'good' : 'warn',
      'data-kind': 'checks',
      'data-testid': 'timeline-checks',
    },
    h('time', { class: 'sw-tl-time', datetime: block.at }, timeOfDay(block.at)),
    h('span', { class: 'sw-tl-icon', 'aria-hidden': 'true' }, anyPassed ? '✓' : '✗'),
    h(
      'div',
      { class: 'sw-tl-body' },
      h('span', { class: 'sw-tl-title' }, checksSummary(block)),
      c.labNote(block.labId) ? h('span', { class: 'sw-tl-detail' }, c.labNote(block.labId)) : null,
      h('ul', { class: 'sw-tl-sub' }, ...sub),
    ),
    c.replay(block.labId, block.at, 2),
  );
}

function itemNode(item: TimelineItem, c: Context): HTMLElement {
  const e = item.entry;
  const detailText = [c.labNote(e.labId), item.detail].filter(Boolean).join(' · ');
  return h(
    'li',
    {
      class: 'sw-tl-item',
      'data-tone': item.tone,
      'data-kind': e.kind,
      'data-testid': `timeline-${e.kind}`,
    },
    h('time', { class: 'sw-tl-time', datetime: e.at }, timeOfDay(e.at)),
    h('span', { class: 'sw-tl-icon', 'aria-hidden': 'true' }, item.icon),
    h(
      'div',
      { class: 'sw-tl-body' },
      e.kind === 'command'
        ? h('code', { class: 'sw-tl-command' }, item.title)
        : h('span', { class: 'sw-tl-title' }, item.title),
      detailText ? h('span', { class: 'sw-tl-detail' }, detailText) : null,
    ),
    // A command's time is when it finished: start a little before, to see it typed.
    e.kind === 'completed' ? null : c.replay(e.labId, e.at, e.kind === 'command' ? 4 : 2),
  );
}

export class TimelineView {
  private readonly list: HTMLElement;
  private readonly empty: HTMLElement;
  private filter: TimelineFilter = 'all';
  private shown = -1;
  private last: { entries: TimelineEntry[]; labs: LabOutline[]; recordings: RecordingRef[] } = {
    entries: [],
    labs: [],
    recordings: [],
  };

  private readonly replayFrom: ReplayFrom;

  constructor(root: HTMLElement, replayFrom: ReplayFrom) {
    this.replayFrom = replayFrom;
    this.list = required('[data-testid="timeline"]', root);
    this.empty = required('[data-timeline-empty]', root);
    for (const chip of root.querySelectorAll<HTMLButtonElement>('[data-filter]'))
      chip.addEventListener('click', () => {
        this.filter = (chip.dataset.filter as TimelineFilter) ?? 'all';
        for (const c of root.querySelectorAll('[data-filter]'))
          c.setAttribute('aria-pressed', String(c === chip));
        this.render(this.last.entries, this.last.labs, this.last.recordings);
      });
  }

  render(entries: TimelineEntry[], labs: LabOutline[], recordings: RecordingRef[]): void {
    this.last = { entries, labs, recordings };
    const labTitle = new Map(labs.map((l) => [l.id, l.title]));
    const manyLabs = new Set(entries.map((e) => e.labId)).size > 1;
    const c: Context = {
      titles: taskTitles(labs),
      labNote: (labId) => (manyLabs ? (labTitle.get(labId) ?? labId) : ''),
      replay: (labId, at, lead) => this.replayButton(recordings, labId, at, lead),
    };
    const items = entries
      .map((e) => describeEntry(e, c.titles))
      .filter((i) => matchesFilter(i, this.filter));
    const nodes: HTMLElement[] = [];
    let day = '';
    for (const block of groupChecks(items)) {
      const at = block.kind === 'single' ? block.item.entry.at : block.at;
      if (dayKey(at) !== day) {
        day = dayKey(at);
        nodes.push(h('li', { class: 'sw-tl-day' }, longDate(at)));
      }
      nodes.push(block.kind === 'checks' ? checksNode(block, c) : itemNode(block.item, c));
    }
    const list = this.list;
    const atBottom = this.shown < 0 || list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.replaceChildren(...nodes);
    this.empty.hidden = items.length > 0;
    this.empty.textContent = emptyText(entries.length);
    // Newest is last: follow it, unless the instructor scrolled up to read.
    if (atBottom) list.scrollTop = list.scrollHeight;
    this.shown = entries.length;
  }

  private replayButton(
    recordings: readonly RecordingRef[],
    labId: string,
    at: string,
    lead: number,
  ): HTMLButtonElement | null {
    const rec = recordingAt(recordings, labId, at);
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
    b.addEventListener('click', () =>
      this.replayFrom(rec.recording.id, Math.max(0, rec.offset - lead)),
    );
    return b;
  }
}
