import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCourse } from './course.ts';
import { fencedBlocks, markdownLessonProblems } from './markdown-lessons.ts';
import { type Fixture, makeFixture } from './test-fixtures.ts';

let f: Fixture;
beforeEach(() => {
  f = makeFixture();
  f.write('content/01-m/module.yaml', 'title: Module\n');
});
afterEach(() => f.cleanup());

describe('fencedBlocks', () => {
  it('finds fences with their line, language and meta, not fences inside fences', () => {
    expect(
      fencedBlocks('text\n```sh run\nls\n```\n\n~~~~md\n```sh run\n~~~~\n````\n```\n````\n'),
    ).toEqual([
      { line: 2, lang: 'sh', meta: 'run' },
      { line: 6, lang: 'md', meta: '' },
      { line: 9, lang: '', meta: '' },
    ]);
  });
});

describe('markdownLessonProblems', () => {
  it('fails run blocks and lab: front matter in .md lessons, naming the file and line', () => {
    f.write(
      'content/01-m/01-a.md',
      '---\ntitle: A\nlab: web\n---\n\nText.\n\n```bash run\nls\n```\n',
    );
    f.write('content/01-m/02-b.mdx', '---\ntitle: B\n---\n\n```sh run\nls\n```\n');
    const course = readCourse(join(f.root, 'content'), f.root);
    expect(markdownLessonProblems(course, f.root)).toEqual([
      'content/01-m/01-a.md: front matter "lab: web" names a lab this lesson does not show, and a .md lesson cannot show one; rename it to .mdx and add <Lab id="web" />, or remove the "lab:" line',
      'content/01-m/01-a.md:8: a `run` code block types into the lab terminal of its page, but this lesson has no <Lab />; add one, or remove "run"',
    ]);
  });
});
