import { describe, expect, it } from 'vitest';
import { type AnswerSandbox, type Verdict, walkAnswers, walkTask } from './answer-walk.ts';
import type { LabTask } from './load-labs.ts';

/** A sandbox whose check answers from the last commands typed, through a table. */
function sandboxAnswering(verdicts: Record<string, Verdict>): AnswerSandbox & { typed: string[] } {
  const typed: string[] = [];
  return {
    typed,
    async type(commands) {
      typed.push(commands);
      return { exitCode: 0, output: '' };
    },
    async check() {
      return verdicts[typed.at(-1) ?? ''] ?? { passed: false, reason: 'nothing done yet' };
    },
  };
}

const task = (over: Partial<LabTask> = {}): LabTask => ({
  id: 'keep-data',
  title: 'Keep the data',
  description: 'd',
  hint: 'h',
  check: 'checks/keep-data.sh',
  checkScript: 'pass',
  solution: 'solve',
  timeout: 10,
  wrong: [
    { name: 'kill then store again', run: 'rm -f', reason: 'started empty' },
    { name: 'restart', run: 'restart', reason: 'still the first container' },
  ],
  valid: [{ name: 'save first', run: 'save' }],
  ...over,
});

const opts = { wrongWithinMs: 0, validWithinMs: 0, pollMs: 0 };

describe('the answer walk', () => {
  it('counts wrong answers refused with their reason and valid ones accepted', async () => {
    const sandbox = sandboxAnswering({
      'rm -f': { passed: false, reason: 'The new "cache" started empty.' },
      restart: { passed: false, reason: '"cache" is still the first container.' },
      save: { passed: true, reason: '' },
    });
    const walk = await walkTask(sandbox, task(), opts);
    expect(walk).toEqual({
      task: 'keep-data',
      wrongRefused: 2,
      wrongListed: 2,
      validAccepted: 1,
      validListed: 1,
      problems: [],
    });
    expect(sandbox.typed).toEqual(['rm -f', 'restart', 'save']);
  });

  it('reports a wrong answer that passes, and one refused for another reason', async () => {
    const sandbox = sandboxAnswering({
      'rm -f': { passed: true, reason: '' },
      restart: { passed: false, reason: 'Redis does not answer yet.' },
      save: { passed: true, reason: '' },
    });
    const walk = await walkTask(sandbox, task(), opts);
    expect(walk.wrongRefused).toBe(0);
    expect(walk.problems).toEqual([
      'wrong answer "kill then store again" passed',
      'wrong answer "restart": the learner read "Redis does not answer yet.", expected "still the first container"',
    ]);
  });

  it('reports a valid answer that stays red, with the reason the learner would read', async () => {
    const sandbox = sandboxAnswering({
      'rm -f': { passed: false, reason: 'started empty' },
      restart: { passed: false, reason: 'still the first container' },
    });
    const walk = await walkTask(sandbox, task(), opts);
    expect(walk.validAccepted).toBe(0);
    expect(walk.problems).toEqual(['valid answer "save first" was refused: "nothing done yet"']);
  });

  it('completes a task without listed answers with its solution, counting nothing', async () => {
    const sandbox = sandboxAnswering({ solve: { passed: true, reason: '' } });
    const walk = await walkTask(sandbox, task({ wrong: undefined, valid: undefined }), opts);
    expect(sandbox.typed).toEqual(['solve']);
    expect(walk).toMatchObject({ wrongListed: 0, validListed: 0, validAccepted: 0, problems: [] });
  });

  it('stops at a task whose valid answer is refused', async () => {
    const sandbox = sandboxAnswering({
      'rm -f': { passed: false, reason: 'started empty' },
      restart: { passed: false, reason: 'still the first container' },
    });
    const walks = await walkAnswers(sandbox, [task(), task({ id: 'next' })], opts);
    expect(walks.map((w) => w.task)).toEqual(['keep-data']);
  });

  it('waits for a reason that shows after a moment', async () => {
    let asked = 0;
    const sandbox: AnswerSandbox = {
      type: async () => ({ exitCode: 0, output: '' }),
      check: async () => {
        asked++;
        return asked < 3
          ? { passed: false, reason: 'Redis does not answer yet.' }
          : {
              passed: asked > 4,
              reason: asked > 4 ? '' : 'started empty, still the first container',
            };
      },
    };
    const walk = await walkTask(sandbox, task(), {
      ...opts,
      wrongWithinMs: 5_000,
      validWithinMs: 5_000,
    });
    expect(walk.problems).toEqual([]);
    expect(asked).toBeGreaterThanOrEqual(5);
  });
});
