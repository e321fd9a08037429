import type { RosterRow as ClassRow, LabOutline } from '../protocol/instructor-views.ts';
import type { ApiLearnerDetail, ApiLearnerProgress } from '../protocol/read-api.ts';

/** A learner's row of the class view (class-view.ts), as the read API gives it. */
export function learnerProgress(row: ClassRow, labs: readonly LabOutline[]): ApiLearnerProgress {
  return {
    learnerId: row.learnerId,
    displayName: row.displayName,
    joinedAt: row.joinedAt,
    lastActivity: row.lastActivity,
    labs: labs.map((lab) => {
      const cells = Object.entries(row.cells[lab.id] ?? {});
      return {
        labId: lab.id,
        title: lab.title,
        tasks: lab.tasks.length,
        passed: cells.filter(([, c]) => c.state === 'done').length,
        brokenAgain: cells.filter(([, c]) => c.regression !== undefined).map(([id]) => id),
      };
    }),
    questions: {
      answered: Object.keys(row.questions.cells).length,
      correct: row.questions.correct,
      total: row.questions.total,
    },
    hints: row.hints,
    solutions: row.solutions,
    stuck: row.stuck !== null,
  };
}

/** The same, with every task's state and every answered question. */
export function learnerDetail(row: ClassRow, labs: readonly LabOutline[]): ApiLearnerDetail {
  return {
    ...learnerProgress(row, labs),
    tasks: Object.fromEntries(
      labs.map((lab) => [
        lab.id,
        lab.tasks.map((t) => {
          const c = row.cells[lab.id]?.[t.id];
          return {
            taskId: t.id,
            title: t.title,
            state: c?.state ?? 'untried',
            attempts: c?.attempts ?? 0,
            completedAt: c?.completedAt ?? null,
            brokenAgain: c?.regression !== undefined,
          };
        }),
      ]),
    ),
    questionStates: Object.entries(row.questions.cells).map(([questionId, q]) => ({
      questionId,
      attempts: q.attempts,
      correctAt: q.correctAt,
    })),
  };
}
