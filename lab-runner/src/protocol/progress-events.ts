import { z } from 'zod';
import { slug } from './lab-manifest.ts';

/**
 * What happens in a lab, as the runner records it and publishes it on its event bus: every
 * check attempt and task completion, hints and solutions opened, commands run in the
 * terminal, the sandbox's state. The instructor's live view is built from these.
 */
export const checkTriggerSchema = z.enum(['start', 'poll', 'command', 'click']);
export type CheckTrigger = z.output<typeof checkTriggerSchema>;

const base = { learnerId: z.string().min(1), labId: slug, at: z.iso.datetime() };

export const activityEventSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...base,
    kind: z.literal('check-attempt'),
    taskId: slug,
    passed: z.boolean(),
    reason: z.string().optional(),
    trigger: checkTriggerSchema,
    durationMs: z.number().int().nonnegative(),
  }),
  z.strictObject({ ...base, kind: z.literal('task-completed'), taskId: slug }),
  z.strictObject({ ...base, kind: z.literal('hint'), taskId: slug }),
  z.strictObject({ ...base, kind: z.literal('solution'), taskId: slug }),
  z.strictObject({
    ...base,
    kind: z.literal('command'),
    command: z.string(),
    exitCode: z.number().int(),
    startedAt: z.iso.datetime(),
  }),
  z.strictObject({
    kind: z.literal('question-answered'),
    learnerId: z.string().min(1),
    questionId: slug,
    correct: z.boolean(),
    at: z.iso.datetime(),
  }),
  z.strictObject({
    kind: z.literal('joined'),
    learnerId: z.string().min(1),
    classId: z.string().min(1),
    displayName: z.string(),
    at: z.iso.datetime(),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('sandbox'),
    state: z.enum(['starting', 'ready', 'stopped', 'failed']),
    detail: z.string().optional(),
  }),
]);

export type ActivityEvent = z.output<typeof activityEventSchema>;
/** Kept for readers of the first protocol version. */
export const progressEventSchema = activityEventSchema;
export type ProgressEvent = ActivityEvent;
