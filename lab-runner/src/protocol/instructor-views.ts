import { z } from 'zod';
import { activityEventSchema } from './progress-events.ts';

/**
 * What the instructor API answers (`/api/instructor/...`) and the learner's join API: the
 * runner builds its responses as these types and the site reads them as the same types. The
 * site imports types only, so no zod reaches the browser.
 */

const iso = z.iso.datetime();

export const taskOutlineSchema = z.strictObject({ id: z.string(), title: z.string() });
export const labOutlineSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  tasks: z.array(taskOutlineSchema),
});
export type LabOutline = z.output<typeof labOutlineSchema>;

/** `GET /api/instructor/course`: the course as an instructor picks from it. */
export const moduleOutlineSchema = z.strictObject({
  slug: z.string(),
  title: z.string(),
  labs: z.array(labOutlineSchema),
});
export type ModuleOutline = z.output<typeof moduleOutlineSchema>;
export const courseOutlineSchema = z.strictObject({ modules: z.array(moduleOutlineSchema) });

export const cellStateSchema = z.enum(['done', 'failing', 'untried']);
export type CellState = z.output<typeof cellStateSchema>;

export const rosterCellSchema = z.strictObject({
  state: cellStateSchema,
  attempts: z.number().int().nonnegative(),
  completedAt: iso.optional(),
  reason: z.string().optional(),
  /** A done task whose check has failed since: why, in the learner's words. */
  regression: z.string().optional(),
});
export type RosterCell = z.output<typeof rosterCellSchema>;

export const questionCellSchema = z.strictObject({
  attempts: z.number().int().nonnegative(),
  /** When the learner first answered correctly; null while they have not. */
  correctAt: iso.nullable(),
});
export type QuestionCell = z.output<typeof questionCellSchema>;

/** One learner's questions in a class: how many are answered correctly, and each one. */
export const learnerQuestionsSchema = z.strictObject({
  correct: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Only the questions the learner has answered. */
  cells: z.record(z.string(), questionCellSchema),
});
export type LearnerQuestions = z.output<typeof learnerQuestionsSchema>;

const rosterFields = {
  learnerId: z.string(),
  displayName: z.string(),
  joinedAt: iso,
  /** labId -> taskId -> cell */
  cells: z.record(z.string(), z.record(z.string(), rosterCellSchema)),
  current: z.strictObject({ labId: z.string(), taskId: z.string(), since: iso }).nullable(),
  timeOnTaskMs: z.number().nonnegative().nullable(),
  attemptsOnTask: z.number().int().nonnegative(),
  hints: z.number().int().nonnegative(),
  solutions: z.number().int().nonnegative(),
  lastActivity: iso.nullable(),
  /** The sandbox of the lab the learner is in now (a sandbox status kind, or `none`). */
  sandbox: z.string(),
  stuck: z.strictObject({ why: z.string(), reason: z.string().nullable() }).nullable(),
};
/** A learner's row without their questions (classes/roster.ts builds it). */
export const rosterRowBaseSchema = z.strictObject(rosterFields);
export type RosterRowBase = z.output<typeof rosterRowBaseSchema>;

/** A row of the class view: where the learner is, task by task, and their questions. */
export const rosterRowSchema = z.strictObject({
  ...rosterFields,
  questions: learnerQuestionsSchema,
});
export type RosterRow = z.output<typeof rosterRowSchema>;

/** What the instructor's views list of a question: no answers, no explanations. */
export const questionOutlineSchema = z.strictObject({
  id: z.string(),
  module: z.string(),
  lessonId: z.string(),
  lessonTitle: z.string(),
  kind: z.enum(['choice', 'short']),
  prompt: z.string(),
});
export type QuestionOutline = z.output<typeof questionOutlineSchema>;

/** Per task, how many members completed it: labId -> taskId -> count. */
export const completionCountsSchema = z.record(
  z.string(),
  z.record(z.string(), z.number().int().nonnegative()),
);

/** `GET /api/instructor/classes/<id>`, `export.json` and the stream's `snapshot` event. */
export const classViewSchema = z.strictObject({
  class: z.strictObject({
    id: z.string(),
    name: z.string(),
    joinCode: z.string(),
    modules: z.array(z.string()),
    createdAt: iso,
    requireSignIn: z.boolean(),
  }),
  labs: z.array(labOutlineSchema),
  rows: z.array(rosterRowSchema),
  counts: completionCountsSchema,
  questions: z.array(questionOutlineSchema),
  /** Question id -> how many members answered it correctly. */
  questionCounts: z.record(z.string(), z.number().int().nonnegative()),
});
export type ClassView = z.output<typeof classViewSchema>;

/** The stream's `row` event: one learner did something. */
export const rowUpdateSchema = z.strictObject({
  row: rosterRowSchema,
  counts: completionCountsSchema,
  event: activityEventSchema,
});
export type RowUpdate = z.output<typeof rowUpdateSchema>;

/** `GET /api/instructor/classes`. */
export const classSummarySchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  modules: z.array(z.string()),
  joinCode: z.string(),
  createdAt: iso,
  members: z.number().int().nonnegative(),
  requireSignIn: z.boolean(),
});
export type ClassSummary = z.output<typeof classSummarySchema>;
export const classListSchema = z.strictObject({ classes: z.array(classSummarySchema) });
export type ClassList = z.output<typeof classListSchema>;

/** `POST /api/instructor/classes` (201). */
export const createdClassSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  joinCode: z.string(),
  modules: z.array(z.string()),
  requireSignIn: z.boolean(),
});
export type CreatedClass = z.output<typeof createdClassSchema>;

/** `GET /api/instructor/me` and the answer to a login. */
export const instructorMeSchema = z.strictObject({ username: z.string() });

export const memberSchema = z.strictObject({
  learnerId: z.string(),
  displayName: z.string(),
  joinedAt: iso,
});
export type Member = z.output<typeof memberSchema>;

/** One entry of a learner's timeline, oldest first. */
export const timelineEntrySchema = z.discriminatedUnion('kind', [
  z.strictObject({
    at: iso,
    kind: z.literal('command'),
    labId: z.string(),
    command: z.string(),
    exitCode: z.number().int(),
    startedAt: iso,
  }),
  z.strictObject({
    at: iso,
    kind: z.literal('check'),
    labId: z.string(),
    taskId: z.string(),
    passed: z.boolean(),
    reason: z.string().nullable(),
    trigger: z.string(),
  }),
  z.strictObject({ at: iso, kind: z.literal('completed'), labId: z.string(), taskId: z.string() }),
  z.strictObject({
    at: iso,
    kind: z.enum(['hint', 'solution']),
    labId: z.string(),
    taskId: z.string().nullable(),
  }),
]);
export type TimelineEntry = z.output<typeof timelineEntrySchema>;

export const recordingRefSchema = z.strictObject({
  id: z.number().int(),
  labId: z.string(),
  sessionId: z.string(),
  startedAt: iso,
});
export type RecordingRef = z.output<typeof recordingRefSchema>;

/** A question of the class with one learner's answers to it (oldest first). */
export const learnerAnswersSchema = z.strictObject({
  ...questionOutlineSchema.shape,
  answers: z.array(z.strictObject({ answer: z.string(), correct: z.boolean(), at: iso })),
});
export type LearnerAnswers = z.output<typeof learnerAnswersSchema>;

/** `GET /api/instructor/classes/<id>/learners/<learnerId>`. */
export const learnerDetailSchema = z.strictObject({
  member: memberSchema,
  row: rosterRowSchema,
  /** Every question of the class, with the learner's answers to it. */
  questions: z.array(learnerAnswersSchema),
  /** Labs where the learner has a terminal now: the ones a shadow can attach to. */
  terminals: z.array(z.string()),
  timeline: z.array(timelineEntrySchema),
  recordings: z.array(recordingRefSchema),
});
export type LearnerDetail = z.output<typeof learnerDetailSchema>;

/** `GET /api/me`: the classes this browser's learner is in. */
export const learnerClassesSchema = z.strictObject({
  classes: z.array(z.strictObject({ id: z.string(), name: z.string(), displayName: z.string() })),
});
export type LearnerClasses = z.output<typeof learnerClassesSchema>;

/** `GET /api/join/<code>`: the class a code opens, and whether joining needs a sign-in. */
export const joinLookupSchema = z.strictObject({ name: z.string(), requireSignIn: z.boolean() });
export type JoinLookup = z.output<typeof joinLookupSchema>;

/** `POST /api/join`. */
export const joinedSchema = z.strictObject({
  classId: z.string(),
  name: z.string(),
  displayName: z.string(),
});
export type Joined = z.output<typeof joinedSchema>;
