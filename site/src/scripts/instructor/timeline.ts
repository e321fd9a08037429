/**
 * A learner's timeline in words: what each entry says, how it looks, which recording shows it.
 * Pure.
 */
import type { LabOutline, RecordingRef, TimelineEntry } from './types.ts';

export type Tone = 'neutral' | 'good' | 'bad' | 'info' | 'warn';
export type TimelineFilter = 'all' | 'commands' | 'checks' | 'progress';

export interface TimelineItem {
  entry: TimelineEntry;
  /** Short symbol shown in the item's badge. */
  icon: string;
  tone: Tone;
  /** Main line; a command's text for commands. */
  title: string;
  /** Second line: exit code, reason, what triggered a check. */
  detail: string;
  /** Which filter shows it. */
  group: Exclude<TimelineFilter, 'all'>;
}

const triggerWords: Record<string, string> = {
  start: 'checked when the lab started',
  poll: 'checked automatically',
  command: 'checked after a command',
  click: 'learner pressed Check',
};

export function taskTitles(labs: readonly LabOutline[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const lab of labs) for (const t of lab.tasks) m.set(`${lab.id}/${t.id}`, t.title);
  return m;
}

export function describeEntry(
  entry: TimelineEntry,
  titles: ReadonlyMap<string, string>,
): TimelineItem {
  const task = (taskId: string | null) =>
    taskId ? (titles.get(`${entry.labId}/${taskId}`) ?? taskId) : 'a task';
  switch (entry.kind) {
    case 'command':
      return {
        entry,
        icon: '$',
        tone: entry.exitCode === 0 ? 'neutral' : 'bad',
        title: entry.command,
        detail: entry.exitCode === 0 ? 'exit 0' : `exit ${entry.exitCode}: the command failed`,
        group: 'commands',
      };
    case 'check':
      return {
        entry,
        icon: entry.passed ? '✓' : '✗',
        tone: entry.passed ? 'good' : 'warn',
        title: `${entry.passed ? 'Check passed' : 'Check failed'}: ${task(entry.taskId)}`,
        detail: [
          entry.passed ? '' : (entry.reason ?? ''),
          triggerWords[entry.trigger] ?? entry.trigger,
        ]
          .filter(Boolean)
          .join(' · '),
        group: 'checks',
      };
    case 'completed':
      return {
        entry,
        icon: '★',
        tone: 'good',
        title: `Completed: ${task(entry.taskId)}`,
        detail: '',
        group: 'progress',
      };
    case 'hint':
      return {
        entry,
        icon: '?',
        tone: 'info',
        title: `Opened the hint${entry.taskId ? ` of ${task(entry.taskId)}` : ''}`,
        detail: '',
        group: 'progress',
      };
    case 'solution':
      return {
        entry,
        icon: '!',
        tone: 'info',
        title: `Opened the solution${entry.taskId ? ` of ${task(entry.taskId)}` : ''}`,
        detail: '',
        group: 'progress',
      };
    default: {
      const e = entry as { kind: string };
      return { entry, icon: '•', tone: 'neutral', title: e.kind, detail: '', group: 'progress' };
    }
  }
}

export function matchesFilter(item: TimelineItem, filter: TimelineFilter): boolean {
  return filter === 'all' || item.group === filter;
}

/**
 * The recording that shows a moment of a lab: the latest recording of that lab that started
 * at or before it, and the offset into it in seconds.
 */
export function recordingAt(
  recordings: readonly RecordingRef[],
  labId: string,
  at: string,
): { recording: RecordingRef; offset: number } | undefined {
  const when = Date.parse(at);
  if (Number.isNaN(when)) return undefined;
  let best: RecordingRef | undefined;
  for (const r of recordings) {
    if (r.labId !== labId) continue;
    const start = Date.parse(r.startedAt);
    if (Number.isNaN(start) || start > when) continue;
    if (!best || start >= Date.parse(best.startedAt)) best = r;
  }
  return best ? { recording: best, offset: (when - Date.parse(best.startedAt)) / 1000 } : undefined;
}

export type TimelineBlock =
  | { kind: 'single'; item: TimelineItem }
  | { kind: 'checks'; items: TimelineItem[]; labId: string; trigger: string; at: string };

/** Checks that ran together (one command or click re-checks every open task) within this. */
const BURST_MS = 3000;

/**
 * Consecutive checks of one lab with the same trigger, close in time, become one block: a
 * command re-checks every unfinished task, and five lines saying so would bury the command.
 */
export function groupChecks(items: readonly TimelineItem[]): TimelineBlock[] {
  const blocks: TimelineBlock[] = [];
  for (const item of items) {
    const e = item.entry;
    const last = blocks.at(-1);
    if (
      e.kind === 'check' &&
      last?.kind === 'checks' &&
      last.labId === e.labId &&
      last.trigger === e.trigger &&
      Date.parse(e.at) - Date.parse(last.at) <= BURST_MS
    ) {
      last.items.push(item);
      continue;
    }
    if (e.kind === 'check') {
      const prev = last?.kind === 'single' ? last.item.entry : undefined;
      if (
        prev?.kind === 'check' &&
        prev.labId === e.labId &&
        prev.trigger === e.trigger &&
        Date.parse(e.at) - Date.parse(prev.at) <= BURST_MS
      ) {
        blocks[blocks.length - 1] = {
          kind: 'checks',
          items: [(last as { item: TimelineItem }).item, item],
          labId: e.labId,
          trigger: e.trigger,
          at: prev.at,
        };
        continue;
      }
    }
    blocks.push({ kind: 'single', item });
  }
  return blocks;
}

/** The heading of a block of checks: "Checks after a command: 1 passed, 4 not yet". */
export function checksSummary(block: Extract<TimelineBlock, { kind: 'checks' }>): string {
  const passed = block.items.filter((i) => i.entry.kind === 'check' && i.entry.passed).length;
  const failed = block.items.length - passed;
  const when: Record<string, string> = {
    start: 'Checks when the lab started',
    poll: 'Automatic checks',
    command: 'Checks after a command',
    click: 'The learner pressed Check',
  };
  const parts = [
    passed > 0 ? `${passed} passed` : '',
    failed > 0 ? `${failed} not yet` : '',
  ].filter(Boolean);
  return `${when[block.trigger] ?? 'Checks'}: ${parts.join(', ')}`;
}
