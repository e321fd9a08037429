import { z } from 'zod';

/** Lab and task ids appear in URLs, labels and file names. */
export const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
  error: 'must be lowercase letters, digits and dashes (e.g. "first-containers")',
});

const relativeScript = z.string().regex(/^(?!\/)(?!.*\.\.)[\w./-]+\.sh$/, {
  error: 'must be a path to a .sh file inside the lab folder (e.g. "checks/web.sh")',
});

/** Sizes like `768m`, `1g` or a plain number of bytes. */
export const byteSize = z
  .union([z.number().int().positive(), z.string().regex(/^\d+(\.\d+)?\s*[kmg]?i?b?$/i)], {
    error: 'must be a size such as "768m", "1g" or a number of bytes',
  })
  .transform(parseByteSize);

export function parseByteSize(value: number | string): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)/i.exec(value.trim());
  if (!m) throw new Error(`not a size: ${value}`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[
    m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'
  ];
  return Math.round(Number(m[1]) * unit);
}

const answerCommands = z
  .string()
  .min(1)
  .refine((s) => !s.includes('\t'), { error: 'must not contain tab characters' });

export const wrongAnswerSchema = z.strictObject({
  /** What the learner does wrong, in a few words (shown in labs:test's report). */
  name: z.string().min(3),
  /** Shell commands run as the learner, in bash. */
  run: answerCommands,
  /** Words the check's reason must contain after these commands. */
  reason: z.string().min(3),
});

export const validAnswerSchema = z.strictObject({
  name: z.string().min(3),
  run: answerCommands,
});

export const taskSchema = z.strictObject({
  id: slug,
  title: z.string().min(3),
  /** Markdown shown in the lesson's task list. */
  description: z.string().min(1),
  /** Shown when the learner asks for a hint; must not give the answer away. */
  hint: z.string().min(1),
  /** A script run inside the sandbox by the runner: exit 0 passes; exit 1 fails and its last
   * line of output is the reason shown to the learner. */
  check: relativeScript,
  /** Shell commands that complete the task, shown behind "Show solution". They must be
   * typeable into an interactive bash (no tab characters): the E2E suite types them. */
  solution: z
    .string()
    .min(1)
    .refine((s) => !s.includes('\t'), {
      error: 'must not contain tab characters (bash would complete on them)',
    }),
  /** Seconds before the check is killed (whole process group). */
  timeout: z.number().int().min(1).max(120).default(10),
  /** Answers a learner might really type that must NOT pass, each with the reason the check
   * must then give. labs:test runs them in order in one fresh sandbox, after the earlier
   * tasks are done, so each may build on (or undo) what the one before it left. */
  wrong: z.array(wrongAnswerSchema).min(2).optional(),
  /** Other ways to do the task right (other flags, layout, order); each must pass. Run after
   * the wrong answers; the last one leaves the task done for the tasks after it. */
  valid: z.array(validAnswerSchema).min(1).optional(),
});

export const sandboxSettingsSchema = z
  .strictObject({
    memory: byteSize.optional(),
    pids: z.number().int().min(64).max(100_000).optional(),
    cpus: z.number().positive().max(64).optional(),
  })
  .default({});

export const labManifestSchema = z
  .strictObject({
    /** Lets editors find the JSON Schema; ignored by Slipway. */
    $schema: z.string().optional(),
    title: z.string().min(3),
    summary: z.string().optional(),
    sandbox: sandboxSettingsSchema,
    /** Course images (folders under images/course/) loaded into the sandbox's engine. */
    images: z.array(slug).default([]),
    /** Runs once in a fresh sandbox, after its images are loaded. */
    setup: relativeScript.optional(),
    /** Completes every task for labs:test; without it, the tasks' solutions run in order. */
    solve: relativeScript.optional(),
    /** Ports served inside the sandbox that the lesson can open through the preview proxy. */
    previews: z
      .array(
        z.strictObject({
          port: z.int().min(1).max(65535),
          title: z.string().min(1),
          /** Where to open it, e.g. "/dashboards". */
          path: z.string().startsWith('/').default('/'),
        }),
      )
      .default([]),
    tasks: z.array(taskSchema).min(1),
  })
  .superRefine((lab, ctx) => {
    const seen = new Set<string>();
    lab.tasks.forEach((t, i) => {
      if (seen.has(t.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tasks', i, 'id'],
          message: `duplicate task id "${t.id}"`,
        });
      }
      seen.add(t.id);
    });
  });

export type LabManifest = z.output<typeof labManifestSchema>;
export type TaskManifest = z.output<typeof taskSchema>;
export type WrongAnswer = z.output<typeof wrongAnswerSchema>;
export type ValidAnswer = z.output<typeof validAnswerSchema>;
