import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Fixture, makeFixture } from '../../../site/src/build/test-fixtures.ts';
import { loadCourseQuestions, questionsFor } from './course-questions.ts';

let f: Fixture;
beforeEach(() => {
  f = makeFixture();
  f.write('content/01-basics/module.yaml', 'title: Basics\n');
  f.write('content/02-more/module.yaml', 'title: More\n');
});
afterEach(() => f.cleanup());

const question = (id: string, extra = '') => `  - id: ${id}
    kind: short
    prompt: Which driver?
    answers: [bridge]
    explanation: The default.
${extra}`;
const lesson = (title: string, questions: string) =>
  `---\ntitle: ${title}\nquestions:\n${questions}---\n\nText.\n`;
const load = () => loadCourseQuestions(join(f.root, 'content'), f.root);

describe('loadCourseQuestions', () => {
  it('reads every lesson’s questions with where they are asked, in course order', () => {
    f.write('content/01-basics/01-first.mdx', lesson('First', question('one') + question('two')));
    f.write('content/02-more/01-next.mdx', lesson('Next', question('three')));
    const qs = load();
    expect([...qs.keys()]).toEqual(['one', 'two', 'three']);
    expect(qs.get('three')).toMatchObject({
      module: 'more',
      lessonId: 'more/next',
      lessonTitle: 'Next',
    });
    expect(questionsFor(['more'], qs).map((q) => q.id)).toEqual(['three']);
    expect(JSON.stringify(questionsFor(['basics'], qs))).not.toContain('bridge');
  });

  it('fails naming the file and the field of a malformed question (the build’s words)', () => {
    f.write(
      'content/01-basics/01-first.mdx',
      lesson('First', question('one', '    correct: true\n')),
    );
    f.write('content/02-more/01-next.mdx', lesson('Next', question('two')));
    expect(load).toThrow(
      'The course content has 1 problem:\ncontent/01-basics/01-first.mdx: questions[0]: unknown field "correct"',
    );
  });

  it('refuses one question id in two lessons', () => {
    f.write('content/01-basics/01-first.mdx', lesson('First', question('same')));
    f.write('content/02-more/01-next.mdx', lesson('Next', question('other') + question('same')));
    expect(load).toThrow(
      'content/02-more/01-next.mdx: questions[1].id: "same" is already a question in content/01-basics/01-first.mdx; give each question its own id',
    );
  });
});
