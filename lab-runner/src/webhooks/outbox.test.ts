import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InstructorStore } from '../accounts/instructor-store.ts';
import type { ModuleOutline } from '../classes/class-labs.ts';
import { ClassStore } from '../classes/class-store.ts';
import { silentLogger } from '../errors/log.ts';
import { EventBus } from '../events/event-bus.ts';
import { ActivityStore } from '../progress/activity-store.ts';
import { openDatabase } from '../progress/database.ts';
import { ProgressStore } from '../progress/progress-store.ts';
import { type WebhookEvent, webhookEventSchema } from '../protocol/index.ts';
import type { CourseQuestions } from '../questions/course-questions.ts';
import { QuestionStore } from '../questions/question-store.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { DeliveryStore } from './delivery-store.ts';
import { WebhookOutbox } from './outbox.ts';
import { StuckWatch } from './stuck-watch.ts';
import { SubscriptionStore } from './subscription-store.ts';

const outline: ModuleOutline[] = [
  {
    slug: 'basics',
    title: 'Basics',
    labs: [
      {
        id: 'lab-a',
        title: 'Lab A',
        tasks: [
          { id: 'one', title: 'Task one' },
          { id: 'two', title: 'Task two' },
        ],
      },
    ],
  },
  { slug: 'more', title: 'More', labs: [{ id: 'lab-b', title: 'Lab B', tasks: [] }] },
];
const questions: CourseQuestions = new Map([
  [
    'default-driver',
    {
      question: {
        id: 'default-driver',
        kind: 'short',
        prompt: 'Which network driver?',
        answers: ['bridge'],
        explanation: 'The default bridge.',
      },
      module: 'basics',
      lessonId: 'basics/networks',
      lessonTitle: 'Networks',
    },
  ],
]);

let dir: string;
let db: DatabaseSync;
let bus: EventBus;
let store: ProgressStore;
let answers: QuestionStore;
let classes: ClassStore;
let subs: SubscriptionStore;
let outbox: WebhookOutbox;
let classA: string;
let classB: string;
let queuedCalls = 0;

/** Every event body queued, as the receivers would get it. */
const sent = (): WebhookEvent[] =>
  (
    db.prepare('SELECT body FROM webhook_events ORDER BY rowid').all() as Array<{ body: string }>
  ).map((r) => webhookEventSchema.parse(JSON.parse(r.body)));

function pass(learnerId: string, taskId: string, at = new Date()) {
  store.recordAttempt({
    learnerId,
    labId: 'lab-a',
    taskId,
    passed: true,
    reason: undefined,
    trigger: 'command',
    durationMs: 5,
    at,
  });
  bus.publish({ kind: 'task-completed', learnerId, labId: 'lab-a', taskId, at: at.toISOString() });
}
function fail(learnerId: string, taskId: string, n: number, at = new Date()) {
  for (let i = 0; i < n; i++)
    store.recordAttempt({
      learnerId,
      labId: 'lab-a',
      taskId,
      passed: false,
      reason: `not yet ${i}`,
      trigger: 'click',
      durationMs: 5,
      at,
    });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-outbox-'));
  db = openDatabase(join(dir, 'slipway.db'));
  store = new ProgressStore(db);
  answers = new QuestionStore(db);
  classes = new ClassStore(db);
  subs = new SubscriptionStore(db);
  const me = new InstructorStore(db).create('ines', 'not-a-real-hash');
  classA = classes.create(me.id, 'Morning', ['basics']).id;
  classB = classes.create(me.id, 'Evening', ['more']).id;
  for (const id of ['L1', 'L2']) store.touchLearner(id);
  classes.join(classA, 'L1', 'Ada');
  classes.join(classB, 'L1', 'Ada L.');
  bus = new EventBus((err) => {
    throw err;
  });
  queuedCalls = 0;
  outbox = new WebhookOutbox({
    classes,
    subscriptions: subs,
    deliveries: new DeliveryStore(db),
    store,
    answers,
    outline: () => outline,
    questions: () => questions,
    onQueued: () => queuedCalls++,
  });
  bus.subscribe((e) => outbox.handle(e));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('webhook events from the event bus', () => {
  it('records nothing while no endpoint wants it', () => {
    pass('L1', 'one');
    expect(sent()).toEqual([]);
    expect(queuedCalls).toBe(0);
  });

  it('task.passed once per task, lab.completed with the last task, in the class’s words', () => {
    subs.create(classA, 'https://hooks.example.org/a', ['task.passed', 'lab.completed']);
    pass('L1', 'one');
    pass('L1', 'one');
    pass('L1', 'two');
    const events = sent();
    expect(events.map((e) => e.type)).toEqual(['task.passed', 'task.passed', 'lab.completed']);
    expect(events[0]).toMatchObject({
      class: { id: classA, name: 'Morning' },
      learner: { id: 'L1', displayName: 'Ada' },
      lab: { id: 'lab-a', title: 'Lab A' },
      task: { id: 'one', title: 'Task one' },
    });
    expect(events[2]).toMatchObject({ lab: { id: 'lab-a', tasks: 2 } });
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
    expect(queuedCalls).toBe(3);
  });

  it('sends a class only its own labs and questions; the operator gets every class', () => {
    subs.create(classB, 'https://hooks.example.org/b', ['task.passed', 'question.answered']);
    pass('L1', 'one');
    expect(sent()).toEqual([]);
    subs.syncOperator([
      {
        url: 'https://ops.example.org/all',
        events: ['question.answered'],
        secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      },
    ]);
    answers.record('L1', 'default-driver', { choice: null, answer: 'host' }, false);
    bus.publish({
      kind: 'question-answered',
      learnerId: 'L1',
      questionId: 'default-driver',
      correct: false,
      at: new Date().toISOString(),
    });
    const [q, ...rest] = sent();
    expect(rest).toEqual([]);
    expect(q).toMatchObject({
      type: 'question.answered',
      class: { id: classA },
      learner: { displayName: 'Ada' },
      question: { id: 'default-driver', correct: false, attempts: 1 },
      lesson: { id: 'basics/networks', title: 'Networks' },
    });
  });

  it('learner.stuck once per episode, by the class view’s rule', async () => {
    subs.create(classA, 'https://hooks.example.org/a', ['learner.stuck']);
    const watch = new StuckWatch({
      classes,
      subscriptions: subs,
      outbox,
      logger: silentLogger,
      view: {
        classes,
        activity: new ActivityStore(db),
        sessions: { find: () => undefined } as unknown as SessionManager,
        outline: () => outline,
        stuckPolicy: { noProgressMs: 10 * 60_000, failures: 3, activeWithinMs: 15 * 60_000 },
        questions: { questions: () => questions, answers },
      },
    });
    fail('L1', 'one', 2);
    expect(await watch.sweep()).toBe(0);
    fail('L1', 'one', 1);
    expect(await watch.sweep()).toBe(1);
    expect(await watch.sweep()).toBe(0);
    expect(await watch.sweep(Date.now() + 5 * 60_000)).toBe(0);
    const [stuck] = sent();
    expect(stuck).toMatchObject({
      type: 'learner.stuck',
      learner: { id: 'L1', displayName: 'Ada' },
      task: { id: 'one' },
      why: '3 failed checks on this task',
      reason: 'not yet 0',
    });
    // Progress ends the episode; a new stall on the next task is a new one.
    pass('L1', 'one', new Date(Date.now() + 1_000));
    expect(await watch.sweep()).toBe(0);
    fail('L1', 'two', 3, new Date(Date.now() + 2_000));
    expect(await watch.sweep(Date.now() + 3_000)).toBe(1);
    expect(sent().map((e) => (e.type === 'learner.stuck' ? e.task.id : e.type))).toEqual([
      'one',
      'two',
    ]);
    // Time alone: no progress for the policy's ten minutes, while still at work.
    store.touchLearner('L3');
    classes.join(classA, 'L3', 'Cy');
    const t0 = Date.now() + 10_000;
    fail('L3', 'one', 1, new Date(t0));
    expect(await watch.sweep(t0 + 9 * 60_000)).toBe(0);
    expect(await watch.sweep(t0 + 11 * 60_000)).toBe(1);
    expect(await watch.sweep(t0 + 12 * 60_000)).toBe(0);
    expect(sent().at(-1)).toMatchObject({
      learner: { displayName: 'Cy' },
      why: 'no progress for 11 min',
      since: new Date(t0).toISOString(),
    });
  });
});
