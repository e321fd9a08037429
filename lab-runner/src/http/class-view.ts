import { labsFor, type ModuleOutline } from '../classes/class-labs.ts';
import type { ClassInfo, ClassStore } from '../classes/class-store.ts';
import { completionCounts, rosterRow } from '../classes/roster.ts';
import type { StuckPolicy } from '../classes/stuck.ts';
import type { ActivityStore } from '../progress/activity-store.ts';
import type {
  ClassView,
  LabOutline,
  QuestionOutline,
  RosterRow,
} from '../protocol/instructor-views.ts';
import {
  type ClassQuestionsDeps,
  learnerQuestions,
  questionCounts,
  questionCsvColumns,
} from '../questions/class-questions.ts';
import { questionsFor } from '../questions/course-questions.ts';
import type { SessionManager } from '../sessions/session-manager.ts';

export interface ClassViewDeps {
  classes: ClassStore;
  activity: ActivityStore;
  sessions: SessionManager;
  outline: () => readonly ModuleOutline[];
  stuckPolicy: StuckPolicy;
  questions: ClassQuestionsDeps;
}

export type { ClassView } from '../protocol/instructor-views.ts';

function sandboxState(deps: ClassViewDeps, learnerId: string) {
  return (labId: string) => deps.sessions.find(learnerId, labId)?.sandboxStatus.kind ?? 'none';
}

export function learnerRow(
  deps: ClassViewDeps,
  labs: readonly LabOutline[],
  m: { learnerId: string; displayName: string; joinedAt: string },
  now = Date.now(),
  questions: readonly QuestionOutline[] = [],
): RosterRow {
  return {
    ...rosterRow(
      m,
      labs,
      deps.activity.activity(m.learnerId),
      sandboxState(deps, m.learnerId),
      now,
      deps.stuckPolicy,
    ),
    questions: learnerQuestions(questions, deps.questions.answers.states(m.learnerId)),
  };
}

/** The questions of the modules a class covers. */
export const classQuestions = (deps: ClassViewDeps, c: Pick<ClassInfo, 'modules'>) =>
  questionsFor(c.modules, deps.questions.questions());

/** The whole class view: who is where, task by task, and where the class stalls. */
export function classView(deps: ClassViewDeps, c: ClassInfo, now = Date.now()): ClassView {
  const labs = labsFor(c.modules, deps.outline());
  const questions = classQuestions(deps, c);
  const rows = deps.classes.members(c.id).map((m) => learnerRow(deps, labs, m, now, questions));
  return {
    class: {
      id: c.id,
      name: c.name,
      joinCode: c.joinCode,
      modules: c.modules,
      createdAt: c.createdAt,
      requireSignIn: c.requireSignIn,
    },
    labs,
    rows,
    counts: completionCounts(rows, labs),
    questions,
    questionCounts: questionCounts(rows, questions),
  };
}

const csvCell = (v: string) =>
  /[",\n\r]/.test(v) || /^[=+\-@]/.test(v)
    ? `"${v.replaceAll('"', '""').replace(/^([=+\-@])/, "'$1")}"`
    : v;

/**
 * One line per learner, one column per task holding the completion time (empty if not done),
 * then the questions the same way.
 */
export function classCsv(view: ClassView): string {
  const taskCols = view.labs.flatMap((l) => l.tasks.map((t) => ({ lab: l.id, task: t.id })));
  const questionCols = questionCsvColumns(view.questions);
  const header = [
    'learner',
    'learner_id',
    'joined_at',
    'tasks_done',
    ...taskCols.map((c) => `${c.lab}/${c.task}`),
    ...questionCols.header,
  ];
  const lines = view.rows.map((r) => {
    const cells = taskCols.map((c) => r.cells[c.lab]?.[c.task]?.completedAt ?? '');
    return [
      r.displayName,
      r.learnerId,
      r.joinedAt,
      String(cells.filter(Boolean).length),
      ...cells,
      ...questionCols.cells(r.questions),
    ];
  });
  return `${[header, ...lines].map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
