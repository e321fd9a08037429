import { describe, expect, it } from 'vitest';
import {
  applyRow,
  bottleneck,
  cellInfo,
  currentText,
  fromSnapshot,
  rowServerTime,
  sinceLastActivity,
  sortRows,
  stuckText,
  taskBars,
  tasksDone,
  timeOnTask,
} from './live-view.ts';
import { labs, row, view } from './test-fixtures.ts';
import type { RowUpdate } from './types.ts';

const T = Date.parse('2026-11-23T12:00:00.000Z');
const working = row({
  learnerId: 'ada',
  displayName: 'Ada',
  cells: {
    first: {
      a: { state: 'done', attempts: 2, completedAt: '2026-11-23T11:50:00.000Z' },
      b: { state: 'failing', attempts: 3, reason: 'no volume' },
    },
    second: { c: { state: 'untried', attempts: 0 } },
  },
  current: { labId: 'first', taskId: 'b', since: '2026-11-23T11:50:00.000Z' },
  timeOnTaskMs: 10 * 60_000,
  attemptsOnTask: 3,
  lastActivity: '2026-11-23T11:59:00.000Z',
});

describe('the runner clock', () => {
  it('is the current task start plus the time on it', () => {
    expect(rowServerTime(working)).toBe(T);
    expect(rowServerTime(row({ learnerId: 'x' }))).toBeUndefined();
  });

  it('is estimated from a snapshot, so time on task keeps counting in the browser', () => {
    // The browser's clock is 5 s behind the runner's.
    const s = fromSnapshot(view([working]), T - 5000);
    expect(s.skewMs).toBe(5000);
    expect(timeOnTask(working, s.skewMs, T - 5000 + 60_000)).toBe(11 * 60_000);
    expect(sinceLastActivity(working, s.skewMs, T - 5000)).toBe(60_000);
  });

  it('keeps the previous estimate when no row tells the time', () => {
    const s = fromSnapshot(view([row({ learnerId: 'x' })]), T, { view: view([]), skewMs: 1234 });
    expect(s.skewMs).toBe(1234);
  });
});

describe('applyRow', () => {
  it('replaces the learner row and takes the new counts', () => {
    const s = fromSnapshot(view([row({ learnerId: 'ada' }), row({ learnerId: 'bo' })]), T);
    const update: RowUpdate = {
      row: working,
      counts: { first: { a: 1, b: 0 }, second: { c: 0 } },
      event: {
        kind: 'task-completed',
        learnerId: 'ada',
        labId: 'first',
        taskId: 'a',
        at: '2026-11-23T11:50:00.000Z',
      },
    };
    const next = applyRow(s, update, T);
    expect(next.view.rows.map((r) => r.learnerId)).toEqual(['ada', 'bo']);
    expect(next.view.rows[0]).toBe(working);
    expect(next.view.counts.first?.a).toBe(1);
    expect(s.view.rows[0]).not.toBe(working); // the old state is untouched
  });

  it('adds a learner the view did not have yet', () => {
    const s = fromSnapshot(view([]), T);
    const next = applyRow(
      s,
      { row: working, counts: s.view.counts, event: {} as RowUpdate['event'] },
      T,
    );
    expect(next.view.rows).toHaveLength(1);
  });
});

describe('cells', () => {
  it('describe a done task with its time and checks', () => {
    const info = cellInfo({ id: 'a', title: 'Task A' }, working.cells.first?.a, {
      locale: 'en-GB',
      timeZone: 'UTC',
    });
    expect(info.state).toBe('done');
    expect(info.label).toBe('Task A: done, 2 checks');
    expect(info.details).toEqual(['Done at 11:50:00', '2 checks']);
  });

  it('give the reason of a failing task', () => {
    const info = cellInfo({ id: 'b', title: 'Task B' }, working.cells.first?.b);
    expect(info.label).toBe('Task B: not passing yet, 3 checks');
    expect(info.details).toContain('Last check: no volume');
  });

  it('say when a done task fails again, keeping it done', () => {
    const info = cellInfo(
      { id: 'a', title: 'Task A' },
      { state: 'done', attempts: 2, regression: 'There is no container named "web" yet.' },
    );
    expect(info.state).toBe('done');
    expect(info.regression).toBe(true);
    expect(info.label).toBe('Task A: done but broken since, 2 checks');
    expect(info.details).toContain('Was done; now: There is no container named "web" yet.');
  });

  it('treat a missing cell as not tried', () => {
    expect(cellInfo({ id: 'z', title: 'Z' }, undefined).details).toEqual(['Not tried yet']);
  });
});

describe('progress', () => {
  it('counts done tasks over every lab of the class', () => {
    expect(tasksDone(working, labs)).toEqual({ done: 1, total: 3 });
  });

  it('says where the learner is', () => {
    expect(currentText(working, labs)).toEqual({ lab: 'First lab', task: 'Task 2 of 2: Task B' });
    expect(currentText(row({ learnerId: 'x' }), labs).task).toBe('Not started');
    const all = row({
      learnerId: 'y',
      lastActivity: '2026-11-23T11:00:00.000Z',
      cells: {
        first: { a: { state: 'done', attempts: 1 }, b: { state: 'done', attempts: 1 } },
        second: { c: { state: 'done', attempts: 1 } },
      },
    });
    expect(currentText(all, labs).task).toBe('Every task done');
  });

  it('says why a learner is stuck, with the failing check', () => {
    expect(
      stuckText({
        ...working,
        stuck: { why: '5 failed checks on this task', reason: 'no volume' },
      }),
    ).toBe('5 failed checks on this task. Last check: no volume');
    expect(stuckText(working)).toBeUndefined();
  });
});

describe('the completion chart', () => {
  const rows = [working, row({ learnerId: 'bo' }), row({ learnerId: 'cy' })];
  const v = view(rows, { first: { a: 3, b: 1 }, second: { c: 0 } });

  it('has one bar per task with how many completed it', () => {
    const bars = taskBars(v);
    expect(bars.map((b) => [b.labId, b.taskId, b.number, b.count, b.total])).toEqual([
      ['first', 'a', 1, 3, 3],
      ['first', 'b', 2, 1, 3],
      ['second', 'c', 1, 0, 3],
    ]);
    expect(bars[1]?.share).toBeCloseTo(1 / 3);
  });

  it('finds the task where most of the class stops', () => {
    expect(bottleneck(taskBars(v))?.taskId).toBe('c');
    expect(
      bottleneck(taskBars(view(rows, { first: { a: 3, b: 1 }, second: { c: 1 } })))?.taskId,
    ).toBe('b');
    expect(bottleneck(taskBars(view([])))).toBeUndefined();
  });
});

describe('sortRows', () => {
  const stuck = row({ learnerId: 'zed', displayName: 'Zed', stuck: { why: 'x', reason: null } });
  const bo = row({ learnerId: 'bo', displayName: 'bo' });
  it('sorts by name, by need of help, or by progress', () => {
    const rows = [working, stuck, bo];
    expect(sortRows(rows, labs, 'name').map((r) => r.displayName)).toEqual(['Ada', 'bo', 'Zed']);
    expect(sortRows(rows, labs, 'attention').map((r) => r.displayName)).toEqual([
      'Zed',
      'bo',
      'Ada',
    ]);
    expect(sortRows(rows, labs, 'progress').map((r) => r.displayName)).toEqual([
      'Ada',
      'bo',
      'Zed',
    ]);
  });
});
