import type { z } from 'zod';

/** One problem found in a piece of input, phrased for the person who wrote it. */
export interface InputProblem {
  /** Dotted path into the input, e.g. `tasks[2].check`; empty for the whole document. */
  field: string;
  /** What was wrong and what was expected, e.g. `expected a string, got a number`. */
  expected: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: InputProblem[] };

/** Formats a zod issue path the way a YAML or JSON author reads it: `tasks[2].hint`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return Number.isInteger(value) ? 'a whole number' : 'a number';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

const typeNames: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
};

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** Turns one zod issue into words; custom messages from `.refine()`/`{ error }` pass through. */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown): InputProblem {
  const field = formatPath(issue.path);
  const got = describeValue(valueAt(input, issue.path));
  // A schema's own wording (`{ error: '...' }`, `.refine`) says it best.
  if (!/^(Invalid|Too (small|big)|Unrecognized)/.test(issue.message))
    return { field, expected: issue.message };
  let expected: string;
  switch (issue.code) {
    case 'invalid_type': {
      const want = typeNames[issue.expected] ?? issue.expected;
      expected = got === 'nothing' ? `is required (${want})` : `expected ${want}, got ${got}`;
      break;
    }
    case 'invalid_value':
      expected = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'unrecognized_keys':
      expected = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      break;
    case 'too_small':
      expected =
        issue.origin === 'string'
          ? `must be at least ${issue.minimum} characters`
          : issue.origin === 'array'
            ? `needs at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`
            : `must be at least ${issue.minimum}`;
      break;
    case 'too_big':
      expected =
        issue.origin === 'string'
          ? `must be at most ${issue.maximum} characters`
          : issue.origin === 'array'
            ? `allows at most ${issue.maximum} items`
            : `must be at most ${issue.maximum}`;
      break;
    case 'invalid_format':
      expected = issue.message;
      break;
    case 'invalid_union':
      expected = issue.message.startsWith('Invalid input')
        ? 'is not a valid value here'
        : issue.message;
      break;
    default:
      expected = issue.message;
  }
  return { field, expected };
}

/**
 * The one way Slipway validates outside input (manifests, front matter, messages, config):
 * never throws, and returns problems a person can act on.
 */
export function friendlyParse<S extends z.ZodType>(schema: S, input: unknown): Parsed<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: result.error.issues.map((i) => describeIssue(i, input)) };
}

/** `file: field: expected` lines, one per problem. */
export function formatProblems(source: string, problems: readonly InputProblem[]): string {
  return problems
    .map((p) => `${source}: ${p.field === '' ? '' : `${p.field}: `}${p.expected}`)
    .join('\n');
}
