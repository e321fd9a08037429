import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mdxToJs } from 'satteri';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCourse } from './course.ts';
import { loadLabCatalog } from './labs.ts';
import { lessonChecks } from './lesson-checks.ts';
import { type Fixture, makeFixture } from './test-fixtures.ts';

let f: Fixture;
beforeEach(() => {
  f = makeFixture();
  f.write('content/01-a/module.yaml', 'title: Module A\n');
});
afterEach(() => f.cleanup());

const FILE = 'content/01-a/01-q.mdx';
const lesson = (body: string, imports = "import Question from '@slipway/Question.astro';\n") =>
  `---
title: Questions
questions:
  - id: one
    kind: short
    prompt: Which driver?
    answers: [bridge]
    explanation: The default.
---

${imports}
${body}`;

/** The build's problems for a lesson, compiled the way Astro does with the lesson checks. */
function problems(source: string): string[] {
  f.write(FILE, source);
  const plugin = lessonChecks({
    contentDir: join(f.root, 'content'),
    root: f.root,
    catalog: () => loadLabCatalog({ root: f.root }),
    course: () => readCourse(join(f.root, 'content'), f.root),
  });
  try {
    mdxToJs(source, { fileURL: pathToFileURL(join(f.root, FILE)), mdastPlugins: [plugin] });
  } catch (err) {
    return (err as Error).message.split('\n');
  }
  return [];
}

describe('<Question id> in lessons', () => {
  it('lets a lesson through that shows each of its questions once', () => {
    expect(problems(lesson('Text.\n\n<Question id="one" />\n'))).toEqual([]);
  });

  it('fails the build for a question never shown, or one the front matter does not have', () => {
    expect(problems(lesson('Text.\n'))).toEqual([
      `${FILE}: the front matter's question "one" is not shown; add <Question id="one" /> where the lesson should ask it`,
    ]);
    expect(problems(lesson('<Question id="one" />\n\n<Question id="two" />\n'))).toEqual([
      `${FILE}:15: <Question id="two" /> names a question that is not in this lesson's front matter (its questions: one)`,
    ]);
  });

  it('asks for the import', () => {
    expect(problems(lesson('<Question id="one" />\n', ''))).toEqual([
      `${FILE}: uses <Question /> without importing it; add this line after the front matter: import Question from '@slipway/Question.astro';`,
    ]);
  });
});
