/**
 * The answer endpoint over HTTP against the real runner (startPlatform, the composition root)
 * and a real SQLite file. No Docker engine is needed: questions never touch a sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cookieOf,
  type EnginelessPlatform,
  startEngineless,
} from '../../test/engineless-platform.ts';
import { ANSWER_RATE } from './answer-throttle.ts';

let runner: EnginelessPlatform;
const url = (p: string) => runner.url(p);
const answer = (id: string, body: unknown, cookie = '', headers: Record<string, string> = {}) =>
  fetch(url(`/api/questions/${id}/answer`), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const mine = async (cookie: string) =>
  (await (await fetch(url('/api/questions'), { headers: { cookie } })).json()) as {
    questions: Record<string, { done: boolean; attempts: number; last: { answer: string } }>;
  };

const LESSON = `---
title: Images and containers
questions:
  - id: run-starts
    kind: choice
    prompt: What does \`docker run\` start?
    options:
      - text: An image
        correct: false
        explanation: An image is the template; it is never running.
      - text: A container
        correct: true
        explanation: A container is a running instance of an image.
  - id: default-driver
    kind: short
    prompt: Which network driver does a container get by default?
    answers: [bridge]
    explanation: Without --network, a container joins the default bridge network.
---

Text.
`;

beforeAll(async () => {
  runner = await startEngineless({
    name: 'questions-api',
    lessons: { '01-basics/01-images.mdx': LESSON },
    instructors: { quinn: 'quinn-password-1' },
  });
}, 60_000);
afterAll(() => runner?.close());

describe('POST /api/questions/<id>/answer', () => {
  let ann = '';

  it('grades a wrong answer on the runner and explains the option picked', async () => {
    const res = await answer('run-starts', { choice: 0 });
    expect(res.status).toBe(200);
    ann = cookieOf(res);
    expect(ann).toMatch(/=/);
    expect(await res.json()).toMatchObject({
      done: false,
      attempts: 1,
      last: {
        choice: 0,
        answer: 'An image',
        feedback: {
          correct: false,
          explanation: 'An image is the template; it is never running.',
          correctChoice: 1,
        },
      },
    });
  });

  it('marks the question done on a right answer, and keeps it done after a wrong one', async () => {
    const right = await (await answer('run-starts', { choice: 1 }, ann)).json();
    expect(right).toMatchObject({ done: true, attempts: 2, last: { feedback: { correct: true } } });
    const again = await (await answer('run-starts', { choice: 0 }, ann)).json();
    expect(again).toMatchObject({
      done: true,
      attempts: 3,
      last: { feedback: { correct: false } },
    });
    const typed = await (await answer('default-driver', { text: '  BRIDGE ' }, ann)).json();
    expect(typed).toMatchObject({ done: true, last: { answer: 'BRIDGE' } });
  });

  it('gives the learner their answers back, and nobody else', async () => {
    const back = await mine(ann);
    expect(back.questions['run-starts']).toMatchObject({ done: true, attempts: 3 });
    expect(back.questions['default-driver']?.last.answer).toBe('BRIDGE');
    expect(await mine('')).toEqual({ questions: {} });
    const bob = cookieOf(await answer('default-driver', { text: 'host' }, ''));
    expect(Object.keys((await mine(bob)).questions)).toEqual(['default-driver']);
    expect((await mine(ann)).questions['default-driver']?.last.answer).toBe('BRIDGE');
  });

  it('refuses bad requests in words, and cannot be pointed at another learner', async () => {
    const unknown = await answer('no-such-question', { choice: 0 }, ann);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe(
      'QUESTION_NOT_FOUND',
    );
    const cases: Array<[unknown, RegExp]> = [
      [{ choice: 'one' }, /choice: expected a number, got a string/],
      [{ choice: 0, learnerId: 'someone-else' }, /unknown field "learnerId"/],
      [{ text: 'bridge' }, /this question takes "choice"/],
      [{ choice: 5 }, /this question has 2 options/],
      ['not json', /the body is not JSON/],
      [{ text: 'x'.repeat(20_000) }, /the body is too large/],
    ];
    for (const [body, message] of cases) {
      const res = await answer('run-starts', body, ann);
      expect(res.status, String(body).slice(0, 40)).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
    const foreign = await answer('run-starts', { choice: 1 }, ann, {
      origin: 'http://evil.example',
    });
    expect(foreign.status).toBe(403);
    expect((await fetch(url('/api/questions/run-starts/answer'))).status).toBe(405);
  });

  it('slows down a learner who answers in a loop, without slowing anyone else', async () => {
    const carol = cookieOf(await answer('run-starts', { choice: 0 }));
    let limited: Response | undefined;
    for (let i = 0; i < ANSWER_RATE.burst + 2 && !limited; i++) {
      const res = await answer('run-starts', { choice: 0 }, carol);
      if (res.status === 429) limited = res;
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await answer('default-driver', { text: 'bridge' })).status).toBe(200);
  });
});

describe('the instructor’s class view', () => {
  it('counts right answers per learner and per question, and exports them', async () => {
    const teacher = await runner.login('quinn', 'quinn-password-1');
    const created = (await (
      await fetch(url('/api/instructor/classes'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: teacher },
        body: JSON.stringify({ name: 'Tuesday', modules: ['basics'] }),
      })
    ).json()) as { id: string; joinCode: string };
    const dave = cookieOf(await answer('run-starts', { choice: 1 }));
    await fetch(url('/api/join'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: dave },
      body: JSON.stringify({ code: created.joinCode, displayName: 'Dave' }),
    });
    const view = (await (
      await fetch(url(`/api/instructor/classes/${created.id}`), { headers: { cookie: teacher } })
    ).json()) as {
      questions: Array<{ id: string; prompt: string }>;
      questionCounts: Record<string, number>;
      rows: Array<{ learnerId: string; questions: { correct: number; total: number } }>;
    };
    expect(view.questions.map((q) => q.id)).toEqual(['run-starts', 'default-driver']);
    expect(JSON.stringify(view)).not.toContain('never running');
    expect(view.questionCounts).toEqual({ 'run-starts': 1, 'default-driver': 0 });
    expect(view.rows[0]?.questions).toMatchObject({ correct: 1, total: 2 });
    const learner = (await (
      await fetch(
        url(`/api/instructor/classes/${created.id}/learners/${view.rows[0]!.learnerId}`),
        {
          headers: { cookie: teacher },
        },
      )
    ).json()) as { questions: Array<{ id: string; answers: Array<{ answer: string }> }> };
    expect(learner.questions[0]?.answers.map((a) => a.answer)).toEqual(['A container']);
    const csv = await (
      await fetch(url(`/api/instructor/classes/${created.id}/export.csv`), {
        headers: { cookie: teacher },
      })
    ).text();
    const [header, line] = csv.split('\r\n');
    expect(header).toBe(
      'learner,learner_id,joined_at,tasks_done,questions_correct,question:run-starts,question:default-driver',
    );
    expect(line).toMatch(/^Dave,[\w-]+,[^,]+,0,1,\d{4}-\d\d-\d\dT[^,]+,$/);
  });
});
