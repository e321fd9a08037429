/** Rows and views for the instructor pages' unit tests. */
import type { ClassView, LabOutline, RosterRow } from './types.ts';

export const labs: LabOutline[] = [
  {
    id: 'first',
    title: 'First lab',
    tasks: [
      { id: 'a', title: 'Task A' },
      { id: 'b', title: 'Task B' },
    ],
  },
  { id: 'second', title: 'Second lab', tasks: [{ id: 'c', title: 'Task C' }] },
];

export function row(over: Partial<RosterRow> & { learnerId: string }): RosterRow {
  return {
    displayName: over.learnerId,
    joinedAt: '2026-11-23T10:00:00.000Z',
    cells: {
      first: { a: { state: 'untried', attempts: 0 }, b: { state: 'untried', attempts: 0 } },
      second: { c: { state: 'untried', attempts: 0 } },
    },
    current: null,
    timeOnTaskMs: null,
    attemptsOnTask: 0,
    hints: 0,
    solutions: 0,
    lastActivity: null,
    sandbox: 'none',
    stuck: null,
    questions: { correct: 0, total: 0, cells: {} },
    ...over,
  };
}

export function view(rows: RosterRow[], counts?: ClassView['counts']): ClassView {
  return {
    class: {
      id: 'class-1',
      name: 'Friday',
      joinCode: 'ABCD2345',
      modules: ['m'],
      createdAt: '2026-11-23T09:00:00.000Z',
      requireSignIn: false,
    },
    labs,
    rows,
    counts: counts ?? { first: { a: 0, b: 0 }, second: { c: 0 } },
    questions: [],
    questionCounts: {},
  };
}
