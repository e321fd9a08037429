import { z } from 'zod';
import { slug } from './lab-manifest.ts';

/**
 * What the runner records and (later) publishes on its event bus: every check attempt and
 * every task completion, with its time.
 */
export const checkTriggerSchema = z.enum(['start', 'poll', 'command', 'click']);
export type CheckTrigger = z.output<typeof checkTriggerSchema>;

export const progressEventSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('check-attempt'),
    learnerId: z.string().min(1),
    labId: slug,
    taskId: slug,
    passed: z.boolean(),
    reason: z.string().optional(),
    trigger: checkTriggerSchema,
    durationMs: z.number().int().nonnegative(),
    at: z.iso.datetime(),
  }),
  z.strictObject({
    kind: z.literal('task-completed'),
    learnerId: z.string().min(1),
    labId: slug,
    taskId: slug,
    at: z.iso.datetime(),
  }),
]);

export type ProgressEvent = z.output<typeof progressEventSchema>;
