import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CourseError, entryId, readCourse, readFrontMatter, sidebarFor } from './course.ts';
import { type Fixture, makeFixture } from './test-fixtures.ts';

let f: Fixture;
beforeEach(() => {
  f = makeFixture();
});
afterEach(() => f.cleanup());

const lesson = (title: string, extra = '') => `---\ntitle: ${title}\n${extra}---\n\nText.\n`;

function courseError(): CourseError {
  try {
    readCourse(join(f.root, 'content'), f.root);
  } catch (err) {
    if (err instanceof CourseError) return err;
    throw err;
  }
  throw new Error('readCourse did not fail');
}

describe('entryId', () => {
  it('drops the NN- prefixes and the extension', () => {
    expect(entryId('01-docker-fundamentals/02-first-containers.mdx')).toBe(
      'docker-fundamentals/first-containers',
    );
    expect(entryId('index.mdx')).toBe('index');
    expect(entryId('10-compose/3-health.md')).toBe('compose/health');
  });
});

describe('readFrontMatter', () => {
  it('reads YAML front matter and reports invalid YAML by line', () => {
    expect(readFrontMatter('---\ntitle: Hi\nlab: x\n---\nbody').data).toEqual({
      title: 'Hi',
      lab: 'x',
    });
    expect(readFrontMatter('no front matter').data).toEqual({});
    const bad = readFrontMatter('---\ntitle: Hi\ndescription: a: b\n---\n');
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0]!.field).toBe('line 3');
    expect(bad.problems[0]!.expected).toMatch(/^front matter is not valid YAML: /);
  });
});

describe('readCourse', () => {
  it('orders modules and lessons by their numbers (10 after 2) and builds URLs without them', () => {
    f.write('content/index.mdx', lesson('Home'));
    f.write('content/02-compose/module.yaml', 'title: Compose\n');
    f.write('content/02-compose/01-intro.mdx', lesson('Compose intro'));
    f.write('content/01-basics/module.yaml', 'title: Basics\nsummary: The start.\n');
    f.write('content/01-basics/10-last.mdx', lesson('Last one'));
    f.write('content/01-basics/2-second.mdx', lesson('Second', 'lab: demo\n'));
    f.write('content/01-basics/01-first.md', lesson('First', 'sidebar:\n  label: Start here\n'));

    const course = readCourse(join(f.root, 'content'), f.root);
    expect(course.modules.map((m) => [m.slug, m.title, m.summary])).toEqual([
      ['basics', 'Basics', 'The start.'],
      ['compose', 'Compose', undefined],
    ]);
    const basics = course.modules[0]!;
    expect(basics.lessons.map((l) => [l.href, l.title, l.label, l.lab, l.file])).toEqual([
      ['/basics/first/', 'First', 'Start here', undefined, 'content/01-basics/01-first.md'],
      ['/basics/second/', 'Second', 'Second', 'demo', 'content/01-basics/2-second.mdx'],
      ['/basics/last/', 'Last one', 'Last one', undefined, 'content/01-basics/10-last.mdx'],
    ]);
    expect(sidebarFor(course)).toEqual([
      {
        label: 'Basics',
        items: [
          {
            label: 'Start here',
            link: '/basics/first/',
            attrs: { 'data-lesson-id': 'basics/first' },
          },
          {
            label: 'Second',
            link: '/basics/second/',
            badge: { text: 'Lab', variant: 'tip' },
            attrs: { 'data-lesson-id': 'basics/second', 'data-lesson-lab': 'demo' },
          },
          { label: 'Last one', link: '/basics/last/', attrs: { 'data-lesson-id': 'basics/last' } },
        ],
      },
      {
        label: 'Compose',
        items: [
          {
            label: 'Compose intro',
            link: '/compose/intro/',
            attrs: { 'data-lesson-id': 'compose/intro' },
          },
        ],
      },
    ]);
  });

  it('leaves hidden lessons out of the sidebar', () => {
    f.write('content/01-basics/module.yaml', 'title: Basics\n');
    f.write('content/01-basics/01-a.mdx', lesson('Shown'));
    f.write('content/01-basics/02-b.mdx', lesson('Hidden', 'sidebar:\n  hidden: true\n'));
    const course = readCourse(join(f.root, 'content'), f.root);
    expect(sidebarFor(course)[0]!.items.map((i) => i.label)).toEqual(['Shown']);
  });

  it('lists every problem, each naming its file', () => {
    f.write('content/01-basics/module.yaml', 'title: 12\nextra: yes\n');
    f.write('content/01-basics/01-a.mdx', '---\ndescription: no title\n---\n');
    f.write('content/01-basics/01-b.mdx', lesson('Same number'));
    f.write('content/01-basics/intro.mdx', lesson('No number'));
    f.write('content/01-basics/03-c.mdx', lesson('Bad lab', 'lab: Not_A_Slug\n'));
    f.write('content/02-empty/module.yaml', 'title: Empty module\n');
    f.write('content/03-nomodule/01-x.mdx', lesson('Orphan'));
    f.write('content/basics-two/01-x.mdx', lesson('Unnumbered module'));

    const err = courseError();
    expect(err.message).toMatch(/^The course content has 8 problems:\n/);
    expect(err.problems).toEqual([
      'content/01-basics/module.yaml: title: expected a string, got a whole number\ncontent/01-basics/module.yaml: unknown field "extra"',
      'content/01-basics/01-a.mdx: title: is required (a string)',
      'content/01-basics/01-b.mdx: has the same number as content/01-basics/01-a.mdx; give each lesson its own number',
      'content/01-basics/03-c.mdx: lab: must be lowercase letters, digits and dashes (e.g. "first-containers")',
      'content/01-basics/intro.mdx: a lesson file needs a name like "01-first-steps.mdx" (a number, a dash, then lowercase letters, digits and dashes)',
      'content/02-empty: this module has no lessons yet',
      'content/03-nomodule/module.yaml: file is missing (every module folder needs a module.yaml with a title)',
      'content/basics-two: a module folder needs a name like "01-docker-basics" (a number, a dash, then lowercase letters, digits and dashes)',
    ]);
  });

  it('reads the real course: module 1 starts with its two first lessons in order', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const course = readCourse(join(root, 'content'), root);
    const first = course.modules[0]!;
    expect(first.title).toBe('Docker fundamentals');
    // Authors add lessons after these; the first two stay where they are.
    expect(first.lessons.slice(0, 2).map((l) => l.href)).toEqual([
      '/docker-fundamentals/images-and-containers/',
      '/docker-fundamentals/first-containers/',
    ]);
    expect(first.lessons[1]!.lab).toBe('first-containers');
  });
});
