import { z } from 'zod';
import { MAX_INPUT_CHARS, PROTOCOL_VERSION } from './constants.ts';
import { slug } from './lab-manifest.ts';

export * from './constants.ts';

const v = z.literal(PROTOCOL_VERSION, { error: `protocol version must be ${PROTOCOL_VERSION}` });

/** A terminal's columns or rows, as a page asks for them; past the limits they are clamped. */
const dimensionError = { error: 'must be a whole number from 1 to 100000' };
const dimension = z.int(dimensionError).min(1, dimensionError).max(100_000, dimensionError);

/** `?cols=&rows=` of the terminal socket's URL: the same rules as the `resize` message. */
export const terminalQuerySchema = z.strictObject({
  cols: z.preprocess(
    (s) => (typeof s === 'string' && /^\d{1,6}$/.test(s) ? Number(s) : s),
    dimension.default(80),
  ),
  rows: z.preprocess(
    (s) => (typeof s === 'string' && /^\d{1,6}$/.test(s) ? Number(s) : s),
    dimension.default(24),
  ),
});

export const clientMessageSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ v, type: z.literal('input'), data: z.string().max(MAX_INPUT_CHARS) }),
    z.strictObject({
      v,
      type: z.literal('resize'),
      // Whole numbers only; sizes past the limits are clamped, not rejected.
      cols: dimension,
      rows: dimension,
    }),
    z.strictObject({ v, type: z.literal('check') }),
    z.strictObject({ v, type: z.literal('hint'), taskId: slug }),
    z.strictObject({ v, type: z.literal('solution'), taskId: slug }),
    /** Flow control: how many characters of output the page has written to its terminal. */
    z.strictObject({ v, type: z.literal('ack'), chars: z.int().min(0).max(1_000_000_000) }),
    /** "Keep working": the learner is here, although the sandbox looked idle. */
    z.strictObject({ v, type: z.literal('keep') }),
  ],
  { error: 'must be one of "input", "resize", "check", "hint", "solution", "ack", "keep"' },
);

export type ClientMessage = z.output<typeof clientMessageSchema>;

export const taskStateSchema = z.enum(['pending', 'failing', 'passed']);

export const taskStatusSchema = z.strictObject({
  id: slug,
  state: taskStateSchema,
  /** Why the last check failed, in the learner's words; absent when passed or unchecked. */
  reason: z.string().optional(),
  checkedAt: z.iso.datetime().optional(),
  completedAt: z.iso.datetime().optional(),
  /** A completed task (it stays completed) whose check fails again since: "was done; now: ...". */
  regression: z.strictObject({ reason: z.string(), checkedAt: z.iso.datetime() }).optional(),
});
export type TaskStatus = z.output<typeof taskStatusSchema>;

export const sandboxPhaseSchema = z.enum([
  'connecting',
  'queued',
  'creating',
  'starting-engine',
  'loading-images',
  'setting-up',
  'restoring',
  'ready',
  'stopped',
  'failed',
]);
export type SandboxPhase = z.output<typeof sandboxPhaseSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    v,
    type: z.literal('status'),
    phase: sandboxPhaseSchema,
    message: z.string(),
  }),
  z.strictObject({ v, type: z.literal('output'), data: z.string() }),
  /** The terminal's size (sent to read-only views, which follow the learner's). */
  z.strictObject({ v, type: z.literal('resize'), cols: z.int().min(1), rows: z.int().min(1) }),
  z.strictObject({ v, type: z.literal('tasks'), tasks: z.array(taskStatusSchema) }),
  z.strictObject({
    v,
    type: z.literal('task'),
    task: taskStatusSchema,
    trigger: z.enum(['start', 'poll', 'command', 'click']),
  }),
  /**
   * The sandbox will be stopped at `stopAt` (idle for too long, or at its hard time limit);
   * `stopAt: null` withdraws the warning. Completed tasks survive the stop.
   */
  z.strictObject({
    v,
    type: z.literal('idle'),
    reason: z.enum(['idle', 'lifetime']),
    stopAt: z.iso.datetime().nullable(),
    message: z.string(),
  }),
  /** The limits the sandbox is at (memory, processes, disk), each with what to do; [] clears. */
  z.strictObject({
    v,
    type: z.literal('limits'),
    limits: z.array(
      z.strictObject({ kind: z.enum(['memory', 'pids', 'disk']), message: z.string() }),
    ),
  }),
  /**
   * Something the learner should know that does not stop the lab (input that was dropped or
   * thrown away by Ctrl-C); shown for a while beside the terminal.
   */
  z.strictObject({
    v,
    type: z.literal('notice'),
    code: z.string(),
    message: z.string(),
    hint: z.string().optional(),
  }),
  /** This lab was opened in another tab; this one stops receiving the terminal. */
  z.strictObject({ v, type: z.literal('taken-over'), message: z.string() }),
  z.strictObject({
    v,
    type: z.literal('error'),
    code: z.string(),
    message: z.string(),
    hint: z.string().optional(),
  }),
]);

export type ServerMessage = z.output<typeof serverMessageSchema>;
