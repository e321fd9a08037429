import { describe, expect, it } from 'vitest';
import { formatProblems, friendlyParse } from './friendly-parse.ts';
import { lessonFrontmatterExtension } from './lesson.ts';
import { answerBodySchema, questionListSchema } from './questions.ts';

const choice = {
  id: 'image-vs-container',
  kind: 'choice',
  prompt: 'What does `docker run` start?',
  options: [
    { text: 'A container', correct: true, explanation: 'Right: a running instance of an image.' },
    { text: 'An image', correct: false, explanation: 'Images are built or pulled, not run.' },
  ],
};
const short = {
  id: 'default-network',
  kind: 'short',
  prompt: 'Which network driver does a plain `docker run` use?',
  answers: ['bridge'],
  explanation: 'Containers join the default bridge network unless told otherwise.',
};

/** The lines the site build and the runner print for a lesson's front matter. */
function problems(questions: unknown): string {
  const r = friendlyParse(lessonFrontmatterExtension, { questions });
  return r.ok ? 'ok' : formatProblems('content/01-m/01-l.mdx', r.problems);
}

describe('question schema', () => {
  it('accepts choice and short questions', () => {
    expect(problems([choice, short])).toBe('ok');
    const r = friendlyParse(questionListSchema, [choice, short]);
    expect(r.ok && r.value.map((q) => q.kind)).toEqual(['choice', 'short']);
  });

  it('names the file and the field of each problem, in words', () => {
    expect(
      problems([
        { ...choice, options: [choice.options[0], { text: 'B', correct: true }] },
        { ...short, kind: 'shrt' },
        { ...short, id: 'Short One', answers: [], explanation: ' ' },
      ]),
    ).toBe(
      [
        'content/01-m/01-l.mdx: questions[0].options[1].explanation: is required (a string)',
        'content/01-m/01-l.mdx: questions[1].kind: needs "kind: choice" (with options) or "kind: short" (with answers)',
        'content/01-m/01-l.mdx: questions[2].id: must be lowercase letters, digits and dashes (e.g. "first-containers")',
        'content/01-m/01-l.mdx: questions[2].answers: needs at least 1 item',
        'content/01-m/01-l.mdx: questions[2].explanation: an explanation must not be empty',
      ].join('\n'),
    );
  });

  it('needs exactly one right option, at least two options, and no unknown fields', () => {
    const wrongOnly = choice.options.map((o) => ({ ...o, correct: false }));
    expect(problems([{ ...choice, options: wrongOnly }])).toBe(
      'content/01-m/01-l.mdx: questions[0].options: exactly one option must have "correct: true"',
    );
    expect(problems([{ ...choice, options: [choice.options[0]] }])).toBe(
      'content/01-m/01-l.mdx: questions[0].options: needs at least 2 items',
    );
    expect(problems([{ ...short, answer: 'bridge' }])).toBe(
      'content/01-m/01-l.mdx: questions[0]: unknown field "answer"',
    );
  });

  it('refuses two questions with one id in a lesson', () => {
    expect(problems([short, short])).toBe(
      'content/01-m/01-l.mdx: questions: two questions have the same id',
    );
  });
});

describe('answer body', () => {
  it('takes a choice or a text, not both, not neither', () => {
    expect(friendlyParse(answerBodySchema, { choice: 1 }).ok).toBe(true);
    expect(friendlyParse(answerBodySchema, { text: 'bridge' }).ok).toBe(true);
    expect(friendlyParse(answerBodySchema, {}).ok).toBe(false);
    expect(friendlyParse(answerBodySchema, { choice: 0, text: 'x' }).ok).toBe(false);
    expect(friendlyParse(answerBodySchema, { choice: 99 }).ok).toBe(false);
    expect(friendlyParse(answerBodySchema, { text: 'x'.repeat(201) }).ok).toBe(false);
    expect(friendlyParse(answerBodySchema, { choice: 0, learnerId: 'someone-else' }).ok).toBe(
      false,
    );
  });
});
