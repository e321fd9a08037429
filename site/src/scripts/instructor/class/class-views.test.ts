import { describe, expect, it } from 'vitest';
import { bottleneck, taskBars } from '../live-view.ts';
import { row, view } from '../test-fixtures.ts';
import { classSubline } from './class-header.ts';
import { savedSort } from './class-page.ts';
import { ACTIVE_MS, classStats } from './class-stats.ts';
import { chartNote } from './task-chart.ts';
import { tipPosition } from './tooltip.ts';

const NOW = Date.parse('2026-11-23T10:30:00.000Z');
const done = { state: 'done' as const, attempts: 1, completedAt: '2026-11-23T10:10:00.000Z' };

describe('the class page’s pieces', () => {
  it('counts learners, the active ones, those needing help and those finished', () => {
    const v = view([
      row({ learnerId: 'idle', lastActivity: new Date(NOW - ACTIVE_MS - 1000).toISOString() }),
      row({
        learnerId: 'busy',
        lastActivity: new Date(NOW - 60_000).toISOString(),
        stuck: { why: 'stuck', reason: null },
      }),
      row({
        learnerId: 'done',
        cells: { first: { a: done, b: done }, second: { c: done } },
      }),
    ]);
    expect(classStats(v, 0, NOW)).toEqual({ learners: 3, active: 1, stuck: 1, finished: 1 });
    // The runner's clock is ahead: the idle learner is idle for longer still.
    expect(classStats(v, ACTIVE_MS, NOW).active).toBe(0);
  });

  it('says where most learners stop, or how the chart fills in', () => {
    expect(chartNote(view([]), undefined)).toBe('Bars fill in as learners complete tasks.');
    const v = view([row({ learnerId: 'a' }), row({ learnerId: 'b' })], {
      first: { a: 2, b: 0 },
      second: { c: 0 },
    });
    expect(chartNote(v, bottleneck(taskBars(v)))).toBe(
      'Most learners stop before task 2, “Task B”.',
    );
  });

  it('describes the class under its heading', () => {
    expect(classSubline(view([row({ learnerId: 'a' })]))).toMatch(
      /^1 learner · 2 labs: First lab, Second lab · created /,
    );
    expect(classSubline({ ...view([]), labs: [] })).toMatch(/^0 learners · 0 labs: no labs · /);
  });

  it('keeps the sort the instructor picked, and ignores anything else stored', () => {
    expect(savedSort('attention')).toBe('attention');
    expect(savedSort(null)).toBe('name');
    expect(savedSort('<script>')).toBe('name');
  });

  it('puts a tooltip above its target, on screen, or below when there is no room', () => {
    const tip = { width: 100, height: 40 };
    expect(tipPosition({ left: 200, width: 20, top: 300, bottom: 320 }, tip, 1000)).toEqual({
      left: 160,
      top: 252,
    });
    expect(tipPosition({ left: 0, width: 20, top: 20, bottom: 40 }, tip, 1000)).toEqual({
      left: 8,
      top: 48,
    });
    expect(tipPosition({ left: 990, width: 10, top: 300, bottom: 320 }, tip, 1000).left).toBe(892);
  });
});
