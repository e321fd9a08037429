import { randomBytes } from 'node:crypto';
import { labsFor, type ModuleOutline } from '../classes/class-labs.ts';
import type { ClassInfo, ClassStore } from '../classes/class-store.ts';
import type { ProgressStore } from '../progress/progress-store.ts';
import { type ActivityEvent, type WebhookEvent, webhookEventSchema } from '../protocol/index.ts';
import type { CourseQuestions } from '../questions/course-questions.ts';
import type { QuestionStore } from '../questions/question-store.ts';
import type { DeliveryStore } from './delivery-store.ts';
import type { SubscriptionStore } from './subscription-store.ts';

/** An event's own fields: what the outbox adds (id, time, class, learner) left out. */
export type EventDetail = WebhookEvent extends infer E
  ? E extends WebhookEvent
    ? Omit<E, 'id' | 'occurredAt' | 'class' | 'learner'>
    : never
  : never;

export interface OutboxDeps {
  classes: ClassStore;
  subscriptions: SubscriptionStore;
  deliveries: DeliveryStore;
  store: ProgressStore;
  answers: QuestionStore;
  outline: () => readonly ModuleOutline[];
  questions: () => CourseQuestions;
  /** Called after deliveries were queued: the worker's wake-up, which never blocks. */
  onQueued: () => void;
}

export const newEventId = () => `evt_${randomBytes(16).toString('base64url')}`;

/**
 * Turns what the event bus carries into webhook events, one per class of the learner that
 * covers the lab (or the question) and has an endpoint for the type, and queues them. All of
 * it is a few SQLite statements on the publisher's tick: no request is ever made from here.
 */
export class WebhookOutbox {
  private readonly deps: OutboxDeps;

  constructor(deps: OutboxDeps) {
    this.deps = deps;
  }

  handle(e: ActivityEvent): void {
    if (e.kind === 'task-completed') this.taskCompleted(e);
    else if (e.kind === 'question-answered') this.questionAnswered(e);
  }

  /**
   * Queues one event for a class; with a dedupe key, only the first event with that key is
   * ever queued (across restarts too). Returns the deliveries queued.
   */
  emit(
    c: Pick<ClassInfo, 'id' | 'name'>,
    learner: { id: string; displayName: string },
    detail: EventDetail,
    occurredAt: string,
    dedupeKey?: string,
  ): number {
    const event = webhookEventSchema.parse({
      id: newEventId(),
      occurredAt,
      class: { id: c.id, name: c.name },
      learner,
      ...detail,
    });
    const queued = this.deps.deliveries.record({
      id: event.id,
      type: event.type,
      classId: c.id,
      body: JSON.stringify(event),
      occurredAt,
      ...(dedupeKey ? { dedupeKey } : {}),
    });
    if (queued > 0) this.deps.onQueued();
    return queued;
  }

  /** The learner's classes, with their display name in each, that want one of these types. */
  private classesWanting(learnerId: string, ...types: WebhookEvent['type'][]) {
    return this.deps.classes.classesOf(learnerId).flatMap((m) => {
      if (!types.some((t) => this.deps.subscriptions.wanted(m.id, t))) return [];
      const c = this.deps.classes.byId(m.id);
      return c ? [{ c, learner: { id: learnerId, displayName: m.displayName } }] : [];
    });
  }

  private taskCompleted(e: Extract<ActivityEvent, { kind: 'task-completed' }>): void {
    for (const { c, learner } of this.classesWanting(e.learnerId, 'task.passed', 'lab.completed')) {
      const lab = labsFor(c.modules, this.deps.outline()).find((l) => l.id === e.labId);
      const task = lab?.tasks.find((t) => t.id === e.taskId);
      if (!lab || !task) continue;
      const key = `${c.id}/${e.learnerId}/${lab.id}`;
      const labRef = { id: lab.id, title: lab.title };
      const wants = (t: WebhookEvent['type']) => this.deps.subscriptions.wanted(c.id, t);
      if (wants('task.passed'))
        this.emit(
          c,
          learner,
          { type: 'task.passed', lab: labRef, task },
          e.at,
          `task.passed/${key}/${task.id}`,
        );
      if (!wants('lab.completed')) continue;
      const done = new Set(this.deps.store.completions(e.learnerId, lab.id).map((t) => t.taskId));
      if (lab.tasks.every((t) => done.has(t.id)))
        this.emit(
          c,
          learner,
          { type: 'lab.completed', lab: { ...labRef, tasks: lab.tasks.length } },
          e.at,
          `lab.completed/${key}`,
        );
    }
  }

  private questionAnswered(e: Extract<ActivityEvent, { kind: 'question-answered' }>): void {
    const q = this.deps.questions().get(e.questionId);
    if (!q) return;
    for (const { c, learner } of this.classesWanting(e.learnerId, 'question.answered')) {
      if (!c.modules.includes(q.module)) continue;
      const attempts = this.deps.answers.states(e.learnerId).get(e.questionId)?.attempts ?? 1;
      this.emit(
        c,
        learner,
        {
          type: 'question.answered',
          question: { id: q.question.id, prompt: q.question.prompt, correct: e.correct, attempts },
          lesson: { id: q.lessonId, title: q.lessonTitle },
        },
        e.at,
      );
    }
  }
}
