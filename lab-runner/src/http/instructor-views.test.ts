/**
 * The instructor API's answers, and the learner's join and question answers, from the real
 * runner (startPlatform) on a real SQLite file, checked against the wire shapes in protocol/
 * that the site reads them as.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cookieOf,
  type EnginelessPlatform,
  startEngineless,
} from '../../test/engineless-platform.ts';
import {
  classListSchema,
  classViewSchema,
  courseOutlineSchema,
  createdClassSchema,
  instructorMeSchema,
  joinedSchema,
  learnerClassesSchema,
  learnerDetailSchema,
  rowUpdateSchema,
} from '../protocol/instructor-views.ts';
import { questionStatusesSchema, questionStatusSchema } from '../protocol/questions.ts';

const LESSON = `---
title: Networks
questions:
  - id: default-driver
    kind: short
    prompt: Which network driver does a container get by default?
    answers: [bridge]
    explanation: Without --network, a container joins the default bridge network.
---

Text.
`;

let runner: EnginelessPlatform;
beforeAll(async () => {
  runner = await startEngineless({
    name: 'instructor-views',
    lessons: { '01-basics/01-networks.mdx': LESSON },
    instructors: { wanda: 'wanda-password-1' },
  });
}, 60_000);
afterAll(async () => {
  await runner?.close();
});

const json = async (r: Response) => {
  expect(r.status, await r.clone().text()).toBeLessThan(300);
  return r.json();
};

/** A server-sent event stream, read event by event. */
async function openStream(path: string, cookie: string) {
  const ac = new AbortController();
  const res = await fetch(runner.url(path), { headers: { cookie }, signal: ac.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  return {
    /** The data of the next `event: <name>`, skipping others. */
    async next(name: string): Promise<unknown> {
      for (;;) {
        const m = /^event: (\S+)\ndata: (.*)\n\n/m.exec(text);
        if (m) {
          text = text.slice(m.index + m[0].length);
          if (m[1] === name) return JSON.parse(m[2]!);
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before a ${name} event`);
        text += value;
      }
    },
    close: () => ac.abort(),
  };
}

async function firstEvent(path: string, cookie: string, name: string): Promise<unknown> {
  const stream = await openStream(path, cookie);
  try {
    return await stream.next(name);
  } finally {
    stream.close();
  }
}

describe('the instructor and learner APIs’ answers match their protocol/ schemas', () => {
  it('the course, classes, a class view, its export, stream and a learner', async () => {
    const wanda = await runner.login('wanda', 'wanda-password-1');
    instructorMeSchema.parse(await json(await runner.call('GET', '/api/instructor/me', wanda)));
    const course = courseOutlineSchema.parse(
      await json(await runner.call('GET', '/api/instructor/course', wanda)),
    );
    expect(course.modules.map((m) => m.slug)).toEqual(['basics']);
    const created = createdClassSchema.parse(
      await json(
        await runner.call('POST', '/api/instructor/classes', wanda, {
          name: 'Net',
          modules: ['basics'],
        }),
      ),
    );

    const learner = cookieOf(await runner.call('POST', '/api/learner', ''));
    const joined = joinedSchema.parse(
      await json(
        await runner.call('POST', '/api/join', learner, {
          code: created.joinCode,
          displayName: 'Lena',
        }),
      ),
    );
    expect(joined).toEqual({ classId: created.id, name: 'Net', displayName: 'Lena' });
    expect(
      learnerClassesSchema.parse(await json(await runner.call('GET', '/api/me', learner))),
    ).toEqual({ classes: [{ id: created.id, name: 'Net', displayName: 'Lena' }] });
    const wrong = questionStatusSchema.parse(
      await json(
        await runner.call('POST', '/api/questions/default-driver/answer', learner, {
          text: 'host',
        }),
      ),
    );
    expect(wrong).toMatchObject({
      done: false,
      attempts: 1,
      last: { feedback: { correct: false } },
    });
    questionStatusSchema.parse(
      await json(
        await runner.call('POST', '/api/questions/default-driver/answer', learner, {
          text: 'bridge',
        }),
      ),
    );
    const mine = questionStatusesSchema.parse(
      await json(await runner.call('GET', '/api/questions', learner)),
    );
    expect(mine.questions['default-driver']).toMatchObject({ done: true, attempts: 2 });

    const list = classListSchema.parse(
      await json(await runner.call('GET', '/api/instructor/classes', wanda)),
    );
    expect(list.classes).toEqual([expect.objectContaining({ id: created.id, members: 1 })]);

    const base = `/api/instructor/classes/${created.id}`;
    const view = classViewSchema.parse(await json(await runner.call('GET', base, wanda)));
    const row = view.rows[0]!;
    expect(row).toMatchObject({ displayName: 'Lena', questions: { correct: 1, total: 1 } });
    expect(view.questionCounts).toEqual({ 'default-driver': 1 });
    classViewSchema.parse(await json(await runner.call('GET', `${base}/export.json`, wanda)));

    const detail = learnerDetailSchema.parse(
      await json(await runner.call('GET', `${base}/learners/${row.learnerId}`, wanda)),
    );
    expect(detail.terminals).toEqual([]);
    expect(detail.questions[0]!.answers.map((a) => a.correct)).toEqual([false, true]);

    classViewSchema.parse(await firstEvent(`${base}/stream`, wanda, 'snapshot'));
  });

  it('a row event of the class stream', async () => {
    const wanda = await runner.login('wanda', 'wanda-password-1');
    const { classes } = classListSchema.parse(
      await json(await runner.call('GET', '/api/instructor/classes', wanda)),
    );
    const c = classes[0]!;
    const learner = cookieOf(await runner.call('POST', '/api/learner', ''));
    await json(
      await runner.call('POST', '/api/join', learner, { code: c.joinCode, displayName: 'Max' }),
    );
    const stream = await openStream(`/api/instructor/classes/${c.id}/stream`, wanda);
    try {
      await stream.next('snapshot');
      await json(
        await runner.call('POST', '/api/questions/default-driver/answer', learner, {
          text: 'bridge',
        }),
      );
      const update = rowUpdateSchema.parse(await stream.next('row'));
      expect(update.event.kind).toBe('question-answered');
      expect(update.row.displayName).toBe('Max');
    } finally {
      stream.close();
    }
  });
});
