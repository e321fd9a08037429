import { z } from 'zod';

/**
 * The read API (/api/v1/): what an instructor's token sees of their classes. The runner
 * answers in these shapes and the OpenAPI document (protocol/openapi.ts) is made from them.
 */

const isoTime = z.string().meta({ format: 'date-time' });

export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'A stable name, e.g. API_TOKEN_INVALID.' }),
      message: z.string(),
      hint: z.string(),
    }),
  })
  .meta({ id: 'Error' });

export const apiClassSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    modules: z.array(z.string()).meta({ description: 'The course modules the class covers.' }),
    createdAt: isoTime,
    members: z.int().nonnegative(),
  })
  .meta({ id: 'Class' });

export const apiClassListSchema = z
  .object({ classes: z.array(apiClassSchema) })
  .meta({ id: 'ClassList' });

export const apiLabProgressSchema = z
  .object({
    labId: z.string(),
    title: z.string(),
    tasks: z.int().nonnegative().meta({ description: 'Tasks in the lab.' }),
    passed: z.int().nonnegative().meta({ description: 'Tasks the learner has passed.' }),
    brokenAgain: z.array(z.string()).meta({
      description: 'Passed tasks whose check has failed since: the learner undid the work.',
    }),
  })
  .meta({ id: 'LabProgress' });

export const apiLearnerProgressSchema = z
  .object({
    learnerId: z.string(),
    displayName: z.string(),
    joinedAt: isoTime,
    lastActivity: isoTime.nullable(),
    labs: z.array(apiLabProgressSchema),
    questions: z.object({
      answered: z.int().nonnegative(),
      correct: z.int().nonnegative(),
      total: z.int().nonnegative(),
    }),
    hints: z.int().nonnegative(),
    solutions: z.int().nonnegative(),
    stuck: z.boolean().meta({ description: 'The class view’s stuck rule holds for them now.' }),
  })
  .meta({ id: 'LearnerProgress' });

export const apiProgressPageSchema = z
  .object({
    classId: z.string(),
    learners: z.array(apiLearnerProgressSchema),
    nextCursor: z.string().nullable().meta({
      description: 'Pass as `cursor` for the next page; null on the last page.',
    }),
  })
  .meta({ id: 'ProgressPage' });

export const apiTaskStateSchema = z
  .object({
    taskId: z.string(),
    title: z.string(),
    state: z.enum(['done', 'failing', 'untried']),
    attempts: z.int().nonnegative(),
    completedAt: isoTime.nullable(),
    brokenAgain: z.boolean(),
  })
  .meta({ id: 'TaskState' });

export const apiQuestionStateSchema = z
  .object({
    questionId: z.string(),
    attempts: z.int().nonnegative(),
    correctAt: isoTime.nullable(),
  })
  .meta({ id: 'QuestionState' });

export const apiLearnerDetailSchema = apiLearnerProgressSchema
  .extend({
    tasks: z.record(z.string(), z.array(apiTaskStateSchema)).meta({
      description: 'Lab id -> its tasks in order.',
    }),
    questionStates: z.array(apiQuestionStateSchema).meta({
      description: 'The questions the learner has answered.',
    }),
  })
  .meta({ id: 'LearnerDetail' });

/** Bounds of `limit` on a paginated list. */
export const PAGE_LIMIT = { default: 50, max: 200 } as const;

export const apiPageQuerySchema = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(PAGE_LIMIT.max)
    .default(PAGE_LIMIT.default)
    .meta({ description: `Learners per page, 1 to ${PAGE_LIMIT.max}.` }),
  cursor: z
    .string()
    .max(200)
    .optional()
    .meta({ description: 'The `nextCursor` of the page before; opaque.' }),
});

/** The dashboard's API token management (under /api/instructor/tokens, with a session). */
export const createApiTokenBodySchema = z.strictObject({
  label: z.string().trim().min(1, { error: 'name the token' }).max(60),
});

export const apiTokenInfoSchema = z.object({
  id: z.string(),
  label: z.string(),
  prefix: z.string(),
  createdAt: isoTime,
  lastUsedAt: isoTime.nullable(),
});

export type ApiClass = z.output<typeof apiClassSchema>;
export type ApiLearnerProgress = z.output<typeof apiLearnerProgressSchema>;
export type ApiLearnerDetail = z.output<typeof apiLearnerDetailSchema>;
export type ApiProgressPage = z.output<typeof apiProgressPageSchema>;
export type ApiTokenInfoShape = z.output<typeof apiTokenInfoSchema>;
