import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkLabReference, labFailuresMessage, loadLabCatalog } from './labs.ts';
import { type Fixture, goodLabYaml, makeFixture, writeGoodLab } from './test-fixtures.ts';

let f: Fixture;
beforeEach(() => {
  f = makeFixture();
});
afterEach(() => f.cleanup());

describe('loadLabCatalog', () => {
  it('keeps what a lesson shows and drops the check scripts', () => {
    writeGoodLab(f, 'good');
    const catalog = loadLabCatalog({ root: f.root });
    expect(catalog.failures).toEqual([]);
    expect(catalog.labs.get('good')).toEqual({
      id: 'good',
      file: 'labs/good/lab.yaml',
      title: 'Good lab',
      summary: 'A lab for tests.',
      previews: [],
      tasks: [
        {
          id: 'one',
          title: 'Task one',
          description: 'Run `docker ps` and look at **everything**.',
          hint: 'Think about it.',
          solution: 'echo one',
        },
        {
          id: 'two',
          title: 'Task two',
          description: 'Do two.',
          hint: 'Think harder.',
          solution: 'echo two',
        },
      ],
    });
  });

  it('keeps the previews, with the default path', () => {
    writeGoodLab(
      f,
      'web',
      goodLabYaml.replace(
        'images: [nginx]',
        'images: [nginx]\npreviews:\n  - { port: 3000, title: Dagster UI }\n  - { port: 8080, title: Docs, path: /docs/ }',
      ),
    );
    expect(loadLabCatalog({ root: f.root }).labs.get('web')?.previews).toEqual([
      { port: 3000, title: 'Dagster UI', path: '/' },
      { port: 8080, title: 'Docs', path: '/docs/' },
    ]);
  });

  it('reports a broken manifest with the loader’s file: field: expected message', () => {
    writeGoodLab(f, 'good');
    writeGoodLab(f, 'broken', goodLabYaml.replace('title: Task two', 'title: 42'));
    const catalog = loadLabCatalog({ root: f.root });
    expect([...catalog.labs.keys()]).toEqual(['good']);
    expect(labFailuresMessage(catalog.failures)).toBe(
      'A lab definition has errors, so the site cannot be built. Fix these and build again:\n' +
        'labs/broken/lab.yaml: tasks[1].title: expected a string, got a whole number',
    );
    expect(labFailuresMessage([])).toBeUndefined();
  });

  it('loads the real labs of the repository', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const catalog = loadLabCatalog({ root });
    // Other labs may be half-written while this runs; the first one must load.
    expect(catalog.failures.map((f) => f.id)).not.toContain('first-containers');
    expect(catalog.labs.get('first-containers')?.tasks.map((t) => t.id)).toEqual([
      'run-web',
      'redis-volume',
      'write-key',
      'keep-data',
      'unblock-worker',
    ]);
  });
});

describe('checkLabReference', () => {
  it('accepts a lab that loads', () => {
    writeGoodLab(f, 'good');
    expect(checkLabReference(loadLabCatalog({ root: f.root }), 'good', 'x.mdx')).toBeUndefined();
  });

  it('names the lesson, the unknown id and the labs that exist', () => {
    writeGoodLab(f, 'good');
    writeGoodLab(f, 'another');
    const catalog = loadLabCatalog({ root: f.root });
    expect(checkLabReference(catalog, 'nope', 'content/01-a/02-b.mdx:12')).toBe(
      'content/01-a/02-b.mdx:12: <Lab id="nope" /> refers to a lab that does not exist: there is no labs/nope/lab.yaml. Known labs: another, good.',
    );
  });

  it('passes on the loader’s message for a lab that exists but is broken', () => {
    writeGoodLab(f, 'broken', goodLabYaml.replace('hint: Think harder.', 'hint: ""'));
    const catalog = loadLabCatalog({ root: f.root });
    expect(checkLabReference(catalog, 'broken', 'lesson.mdx', 'front matter "lab: broken"')).toBe(
      'lesson.mdx: front matter "lab: broken" uses a lab whose definition has errors:\n' +
        'labs/broken/lab.yaml: tasks[1].hint: must be at least 1 characters',
    );
  });
});
