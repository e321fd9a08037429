import { z } from 'zod';
import { slug } from './lab-manifest.ts';

/**
 * Check-your-understanding questions, written in a lesson's front matter under `questions:`.
 * The site renders them with `<Question id="..." />`; the runner grades the answers (the
 * browser never does) and records them beside task progress.
 */

const words = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, { error: `${what} must not be empty` })
    .max(max);

export const choiceOptionSchema = z.strictObject({
  /** What the learner picks (inline Markdown). */
  text: words('an option', 300),
  correct: z.boolean(),
  /** Why this option is right or wrong; shown once the learner has picked it. */
  explanation: words('an explanation', 1000),
});

export const choiceQuestionSchema = z
  .strictObject({
    id: slug,
    kind: z.literal('choice'),
    prompt: words('a prompt', 1000),
    options: z.array(choiceOptionSchema).min(2).max(8),
  })
  .refine((q) => q.options.filter((o) => o.correct).length === 1, {
    path: ['options'],
    error: 'exactly one option must have "correct: true"',
  });

export const shortQuestionSchema = z.strictObject({
  id: slug,
  kind: z.literal('short'),
  prompt: words('a prompt', 1000),
  /** Answers that count as right; compared after normaliseAnswer (case, spaces). */
  answers: z.array(words('an accepted answer', 200)).min(1).max(20),
  /** Shown after any answer: why the accepted answer is the right one. */
  explanation: words('an explanation', 1000),
});

export const questionSchema = z.discriminatedUnion(
  'kind',
  [choiceQuestionSchema, shortQuestionSchema],
  { error: 'needs "kind: choice" (with options) or "kind: short" (with answers)' },
);

/** A lesson's `questions:` list; ids must differ within the course (checked by the reader). */
export const questionListSchema = z
  .array(questionSchema)
  .max(10)
  .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, {
    error: 'two questions have the same id',
  });

export type Question = z.output<typeof questionSchema>;
export type ChoiceQuestion = z.output<typeof choiceQuestionSchema>;
export type ShortQuestion = z.output<typeof shortQuestionSchema>;

/** Body of POST /api/questions/<id>/answer: the index of the picked option, or typed text. */
export const answerBodySchema = z
  .strictObject({
    choice: z.number().int().min(0).max(7).optional(),
    text: z.string().max(200).optional(),
  })
  .refine((b) => (b.choice === undefined) !== (b.text === undefined), {
    error: 'send either "choice" (a number) or "text" (a string)',
  });
export type AnswerBody = z.output<typeof answerBodySchema>;

/** What the learner sees after answering: whether it was right, why, and what was right. */
export const answerFeedbackSchema = z.strictObject({
  correct: z.boolean(),
  /** The explanation of the picked option (choice), or of the question (short). */
  explanation: z.string(),
  /** The index of the right option (choice questions). */
  correctChoice: z.number().int().min(0).optional(),
  /** An accepted answer (short questions). */
  accepted: z.string().optional(),
});
export type AnswerFeedback = z.output<typeof answerFeedbackSchema>;

/** A learner's standing on one question, as the lesson page shows it (the answer's response). */
export const questionStatusSchema = z.strictObject({
  /** Answered correctly at least once: done, like a completed task. */
  done: z.boolean(),
  attempts: z.number().int().nonnegative(),
  /** The latest answer and its feedback, shown again when the learner comes back. */
  last: z.strictObject({
    choice: z.number().int().nullable(),
    answer: z.string(),
    at: z.iso.datetime(),
    feedback: answerFeedbackSchema,
  }),
});
export type QuestionStatus = z.output<typeof questionStatusSchema>;

/** `GET /api/questions`: question id -> the learner's standing, for the questions they answered. */
export const questionStatusesSchema = z.strictObject({
  questions: z.record(z.string(), questionStatusSchema),
});
