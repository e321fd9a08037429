import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatPath, formatProblems, friendlyParse } from './friendly-parse.ts';
import { labManifestSchema } from './lab-manifest.ts';

const validLab = {
  title: 'A lab',
  tasks: [
    {
      id: 'one',
      title: 'First task',
      description: 'Do it.',
      hint: 'Like this.',
      check: 'checks/one.sh',
      solution: 'true',
    },
  ],
};

describe('friendlyParse', () => {
  it('returns the parsed value with defaults applied', () => {
    const r = friendlyParse(labManifestSchema, validLab);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.solve).toBeUndefined();
      expect(r.value.previews).toEqual([]);
      expect(r.value.tasks[0]!.timeout).toBe(10);
      expect(r.value.images).toEqual([]);
    }
  });

  it('names the field and what was expected for a wrong type', () => {
    const r = friendlyParse(labManifestSchema, {
      ...validLab,
      tasks: [{ ...validLab.tasks[0], hint: 42 }],
    });
    expect(r).toEqual({
      ok: false,
      problems: [{ field: 'tasks[0].hint', expected: 'expected a string, got a whole number' }],
    });
  });

  it('says a missing field is required', () => {
    const { title: _omit, ...noTitle } = validLab;
    const r = friendlyParse(labManifestSchema, noTitle);
    expect(r.ok ? [] : r.problems).toEqual([
      { field: 'title', expected: 'is required (a string)' },
    ]);
  });

  it('rejects unknown fields by name, so typos do not pass silently', () => {
    const r = friendlyParse(labManifestSchema, { ...validLab, taks: [] });
    expect(r.ok ? [] : r.problems).toEqual([{ field: '', expected: 'unknown field "taks"' }]);
  });

  it('explains slugs and script paths in words', () => {
    const r = friendlyParse(labManifestSchema, {
      ...validLab,
      tasks: [{ ...validLab.tasks[0], id: 'Bad Id', check: '/etc/passwd' }],
    });
    expect(r.ok ? [] : r.problems).toEqual([
      {
        field: 'tasks[0].id',
        expected: 'must be lowercase letters, digits and dashes (e.g. "first-containers")',
      },
      {
        field: 'tasks[0].check',
        expected: 'must be a path to a .sh file inside the lab folder (e.g. "checks/web.sh")',
      },
    ]);
  });

  it('reports duplicate task ids at the second one', () => {
    const r = friendlyParse(labManifestSchema, {
      ...validLab,
      tasks: [validLab.tasks[0], validLab.tasks[0]],
    });
    expect(r.ok ? [] : r.problems).toEqual([
      { field: 'tasks[1].id', expected: 'duplicate task id "one"' },
    ]);
  });

  it('needs at least one task', () => {
    const r = friendlyParse(labManifestSchema, { ...validLab, tasks: [] });
    expect(r.ok ? [] : r.problems).toEqual([{ field: 'tasks', expected: 'needs at least 1 item' }]);
  });

  it('lists allowed values for enums', () => {
    const r = friendlyParse(z.object({ mode: z.enum(['a', 'b']) }), { mode: 'c' });
    expect(r.ok ? [] : r.problems).toEqual([
      { field: 'mode', expected: 'expected one of "a", "b"' },
    ]);
  });
});

describe('formatting', () => {
  it('formats paths like a YAML author reads them', () => {
    expect(formatPath(['tasks', 2, 'check'])).toBe('tasks[2].check');
    expect(formatPath([])).toBe('');
  });

  it('prefixes every problem with the source', () => {
    expect(
      formatProblems('labs/x/lab.yaml', [
        { field: 'title', expected: 'is required (a string)' },
        { field: '', expected: 'unknown field "y"' },
      ]),
    ).toBe('labs/x/lab.yaml: title: is required (a string)\nlabs/x/lab.yaml: unknown field "y"');
  });
});
