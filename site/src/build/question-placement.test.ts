import { describe, expect, it } from 'vitest';
import { questionPlacementProblems } from './question-placement.ts';

const f = 'content/01-m/01-l.mdx';

describe('questionPlacementProblems', () => {
  it('accepts every question shown once, imported', () => {
    expect(
      questionPlacementProblems(
        f,
        ['a', 'b'],
        [
          { id: 'b', where: `${f}:9` },
          { id: 'a', where: `${f}:20` },
        ],
        true,
      ),
    ).toEqual([]);
    expect(questionPlacementProblems(f, [], [], false)).toEqual([]);
  });

  it('names unknown, repeated and missing questions, and a missing import', () => {
    expect(
      questionPlacementProblems(
        f,
        ['a', 'b'],
        [
          { id: 'a', where: `${f}:9` },
          { id: 'a', where: `${f}:12` },
          { id: 'zz', where: `${f}:15` },
        ],
        false,
      ),
    ).toEqual([
      `${f}:12: <Question id="a" /> is shown a second time; show it once`,
      `${f}:15: <Question id="zz" /> names a question that is not in this lesson's front matter (its questions: a, b)`,
      `${f}: the front matter's question "b" is not shown; add <Question id="b" /> where the lesson should ask it`,
      `${f}: uses <Question /> without importing it; add this line after the front matter: import Question from '@slipway/Question.astro';`,
    ]);
  });
});
