import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCourse } from './course.ts';
import { frontMatterProblems, labsModuleSource } from './integration.ts';
import { loadLabCatalog } from './labs.ts';
import { type Fixture, makeFixture, writeGoodLab } from './test-fixtures.ts';

let f: Fixture;
beforeEach(() => {
  f = makeFixture();
  writeGoodLab(f, 'good');
  f.write('content/01-m/module.yaml', 'title: Module\n');
});
afterEach(() => f.cleanup());

describe('frontMatterProblems', () => {
  it('names the lesson whose front matter points at an unknown lab', () => {
    f.write('content/01-m/01-a.mdx', '---\ntitle: A\nlab: good\n---\n');
    f.write('content/01-m/02-b.mdx', '---\ntitle: B\nlab: gone\n---\n');
    const course = readCourse(join(f.root, 'content'), f.root);
    expect(frontMatterProblems(course, loadLabCatalog({ root: f.root }))).toEqual([
      'content/01-m/02-b.mdx: front matter "lab: gone" refers to a lab that does not exist: there is no labs/gone/lab.yaml. Known labs: good.',
    ]);
  });
});

describe('labsModuleSource', () => {
  it('exports the labs for components, with solutions and previews, without check scripts', async () => {
    f.write('labs/good/checks/one.sh', 'SECRET_CHECK_SCRIPT\n');
    const source = labsModuleSource(loadLabCatalog({ root: f.root }));
    expect(source).not.toContain('SECRET_CHECK_SCRIPT');
    expect(source).not.toContain('checks/one.sh');
    const mod = (await import(`data:text/javascript,${encodeURIComponent(source)}`)) as {
      labs: Record<string, { title: string; previews: unknown[]; tasks: { solution: string }[] }>;
      labFailures: unknown[];
    };
    expect(mod.labs.good?.title).toBe('Good lab');
    expect(mod.labs.good?.tasks.map((t) => t.solution)).toEqual(['echo one', 'echo two']);
    expect(mod.labs.good?.previews).toEqual([]);
    expect(mod.labFailures).toEqual([]);
  });
});
