import { z } from 'zod';
import { slug } from './lab-manifest.ts';

/**
 * What a webhook receiver gets: one JSON object per event, the body of a signed POST (Standard
 * Webhooks headers, see webhooks/signature.ts). Events are about learners in a class, as the
 * class view shows them: the class, the learner's display name in it, the lab and the task.
 * A learner in two classes makes one event per class, each with its own id.
 */
export const webhookEventTypes = [
  'task.passed',
  'lab.completed',
  'learner.stuck',
  'question.answered',
] as const;
export const webhookEventTypeSchema = z.enum(webhookEventTypes, {
  error: `must be one of ${webhookEventTypes.join(', ')}`,
});
export type WebhookEventType = z.output<typeof webhookEventTypeSchema>;

/** `evt_` and base64url: never a full stop, which the signed content uses as its delimiter. */
export const webhookEventIdSchema = z.string().regex(/^evt_[A-Za-z0-9_-]{8,64}$/);

const envelope = {
  id: webhookEventIdSchema,
  occurredAt: z.iso.datetime(),
  class: z.strictObject({ id: z.string().min(1), name: z.string() }),
  learner: z.strictObject({ id: z.string().min(1), displayName: z.string() }),
};
const lab = z.strictObject({ id: slug, title: z.string() });
const task = z.strictObject({ id: slug, title: z.string() });

export const taskPassedEventSchema = z.strictObject({
  ...envelope,
  type: z.literal('task.passed'),
  lab,
  task,
});

export const labCompletedEventSchema = z.strictObject({
  ...envelope,
  type: z.literal('lab.completed'),
  lab: lab.extend({ tasks: z.number().int().positive() }),
});

export const learnerStuckEventSchema = z.strictObject({
  ...envelope,
  type: z.literal('learner.stuck'),
  lab,
  task,
  /** Why the class view marks the learner stuck, e.g. "5 failed checks on this task". */
  why: z.string(),
  /** The failing check's reason, when the latest check failed. */
  reason: z.string().nullable(),
  /** Since when the learner has been on this task (their last progress). */
  since: z.iso.datetime(),
});

export const questionAnsweredEventSchema = z.strictObject({
  ...envelope,
  type: z.literal('question.answered'),
  question: z.strictObject({
    id: slug,
    prompt: z.string(),
    correct: z.boolean(),
    /** Answers the learner has given to this question so far, this one included. */
    attempts: z.number().int().positive(),
  }),
  lesson: z.strictObject({ id: z.string().min(1), title: z.string() }),
});

export const webhookEventSchema = z.discriminatedUnion('type', [
  taskPassedEventSchema,
  labCompletedEventSchema,
  learnerStuckEventSchema,
  questionAnsweredEventSchema,
]);
export type WebhookEvent = z.output<typeof webhookEventSchema>;

/** A Standard Webhooks symmetric secret: `whsec_` and the base64 of 24 to 64 random bytes. */
export const webhookSecretSchema = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, { error: 'must be "whsec_" followed by base64' })
  .refine(
    (s) => {
      const n = Buffer.from(s.slice(6), 'base64').length;
      return n >= 24 && n <= 64;
    },
    { error: 'must hold 24 to 64 bytes after "whsec_"' },
  );

const webhookUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), {
    error: 'must be an http:// or https:// URL',
  });
const eventList = z
  .array(webhookEventTypeSchema)
  .min(1, { error: 'pick at least one event type' })
  .transform((ts) => [...new Set(ts)]);

/** POST /api/instructor/classes/<id>/webhooks */
export const createWebhookBodySchema = z.strictObject({ url: webhookUrl, events: eventList });

/** `SLIPWAY_WEBHOOKS`: the operator's endpoints, for every class. */
export const operatorWebhooksSchema = z.array(
  z.strictObject({ url: webhookUrl, events: eventList, secret: webhookSecretSchema }),
);
export type OperatorWebhook = z.output<typeof operatorWebhooksSchema>[number];
