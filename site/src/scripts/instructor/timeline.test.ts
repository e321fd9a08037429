import { describe, expect, it } from 'vitest';
import { labs } from './test-fixtures.ts';
import {
  checksSummary,
  describeEntry,
  groupChecks,
  matchesFilter,
  recordingAt,
  taskTitles,
} from './timeline.ts';
import type { RecordingRef, TimelineEntry } from './types.ts';

const titles = taskTitles(labs);
const at = (s: number) => new Date(Date.parse('2026-11-23T12:00:00.000Z') + s * 1000).toISOString();
const check = (s: number, taskId: string, passed: boolean, trigger = 'command'): TimelineEntry => ({
  at: at(s),
  kind: 'check',
  labId: 'first',
  taskId,
  passed,
  reason: passed ? null : `${taskId} is not done`,
  trigger,
});

describe('describeEntry', () => {
  it('shows a command with its exit code', () => {
    const ok = describeEntry(
      {
        at: at(0),
        kind: 'command',
        labId: 'first',
        command: 'docker ps',
        exitCode: 0,
        startedAt: at(0),
      },
      titles,
    );
    expect(ok).toMatchObject({
      title: 'docker ps',
      tone: 'neutral',
      detail: 'exit 0',
      group: 'commands',
    });
    const bad = describeEntry(
      {
        at: at(0),
        kind: 'command',
        labId: 'first',
        command: 'dokcer',
        exitCode: 127,
        startedAt: '2026-01-01T10:00:00.000Z',
      },
      titles,
    );
    expect(bad.tone).toBe('bad');
    expect(bad.detail).toBe('exit 127: the command failed');
  });

  it('names the task of a check, with the reason and what triggered it', () => {
    const item = describeEntry(check(0, 'b', false, 'click'), titles);
    expect(item.title).toBe('Check failed: Task B');
    expect(item.detail).toBe('b is not done · learner pressed Check');
    expect(describeEntry(check(0, 'a', true), titles).title).toBe('Check passed: Task A');
  });

  it('shows completions, hints and solutions', () => {
    expect(
      describeEntry({ at: at(0), kind: 'completed', labId: 'first', taskId: 'a' }, titles).title,
    ).toBe('Completed: Task A');
    expect(
      describeEntry({ at: at(0), kind: 'hint', labId: 'first', taskId: 'b' }, titles).title,
    ).toBe('Opened the hint of Task B');
    expect(
      describeEntry({ at: at(0), kind: 'solution', labId: 'first', taskId: null }, titles).title,
    ).toBe('Opened the solution');
  });

  it('filters by kind', () => {
    const cmd = describeEntry(
      {
        at: at(0),
        kind: 'command',
        labId: 'first',
        command: 'ls',
        exitCode: 0,
        startedAt: '2026-01-01T10:00:00.000Z',
      },
      titles,
    );
    expect(matchesFilter(cmd, 'all')).toBe(true);
    expect(matchesFilter(cmd, 'commands')).toBe(true);
    expect(matchesFilter(cmd, 'checks')).toBe(false);
  });
});

describe('groupChecks', () => {
  it('puts the checks one command triggered into one block', () => {
    const entries: TimelineEntry[] = [
      {
        at: at(0),
        kind: 'command',
        labId: 'first',
        command: 'docker run',
        exitCode: 0,
        startedAt: '2026-01-01T10:00:00.000Z',
      },
      check(0.2, 'a', true),
      check(0.4, 'b', false),
      check(0.6, 'c', false),
      check(30, 'b', false, 'click'),
    ];
    const blocks = groupChecks(entries.map((e) => describeEntry(e, titles)));
    expect(blocks.map((b) => b.kind)).toEqual(['single', 'checks', 'single']);
    const group = blocks[1]!;
    if (group.kind !== 'checks') throw new Error('expected a group');
    expect(group.items).toHaveLength(3);
    expect(group.at).toBe(at(0.2));
    expect(checksSummary(group)).toBe('Checks after a command: 1 passed, 2 not yet');
  });

  it('does not join checks far apart or with different triggers', () => {
    const blocks = groupChecks(
      [check(0, 'a', false), check(10, 'a', false), check(10.5, 'b', false, 'click')].map((e) =>
        describeEntry(e, titles),
      ),
    );
    expect(blocks.map((b) => b.kind)).toEqual(['single', 'single', 'single']);
  });
});

describe('recordingAt', () => {
  const recs: RecordingRef[] = [
    { id: 1, labId: 'first', sessionId: 's1', startedAt: at(0) },
    { id: 2, labId: 'second', sessionId: 's2', startedAt: at(50) },
    { id: 3, labId: 'first', sessionId: 's3', startedAt: at(100) },
  ];

  it('finds the latest recording of the lab that had started', () => {
    expect(recordingAt(recs, 'first', at(60))).toEqual({ recording: recs[0], offset: 60 });
    expect(recordingAt(recs, 'first', at(130))).toEqual({ recording: recs[2], offset: 30 });
    expect(recordingAt(recs, 'second', at(10))).toBeUndefined();
    expect(recordingAt(recs, 'first', 'not a date')).toBeUndefined();
  });
});
