import { describe, expect, it } from 'vitest';
import { InstructorStore } from '../accounts/instructor-store.ts';
import { verifyPassword } from '../accounts/passwords.ts';
import { ClassStore } from '../classes/class-store.ts';
import { QuestionStore } from '../questions/question-store.ts';
import { openDatabase } from './database.ts';
import { MOVED_TABLES, STAYING_TABLES } from './learner-merge.ts';
import { ProgressStore } from './progress-store.ts';
import { NO_PASSWORD, SignInStore } from './sign-in-store.ts';

const ada = { issuer: 'https://idp.example', subject: 'ada-sub', name: 'Ada' };
const attempt = (learnerId: string, taskId: string, passed: boolean, at: string) => ({
  learnerId,
  labId: 'lab',
  taskId,
  passed,
  reason: passed ? undefined : 'not yet',
  trigger: 'click' as const,
  durationMs: 5,
  at: new Date(at),
});

function setup() {
  const db = openDatabase(':memory:');
  let n = 0;
  return {
    db,
    store: new ProgressStore(db),
    signIns: new SignInStore(db),
    newId: () => `new-learner-${++n}`,
  };
}

describe('merging a learner into another', () => {
  it('names every table that has a learner_id, as moved or staying', () => {
    const { db } = setup();
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
        name: string;
      }>
    )
      .filter((t) =>
        (db.prepare(`PRAGMA table_info(${t.name})`).all() as Array<{ name: string }>).some(
          (c) => c.name === 'learner_id',
        ),
      )
      .map((t) => t.name)
      .sort();
    expect(tables).toEqual([...MOVED_TABLES, ...STAYING_TABLES].sort());
  });

  it('moves everything a second browser did into the person’s learner, keeping first times', () => {
    const { db, store, signIns, newId } = setup();
    const classes = new ClassStore(db);
    const answers = new QuestionStore(db);
    const instructor = new InstructorStore(db).create('teacher', NO_PASSWORD);
    const c = classes.create(instructor.id, 'Friday', ['m']);

    // Browser A: anonymous work, then a first sign-in links it to Ada.
    store.touchLearner('browser-a');
    store.recordAttempt(attempt('browser-a', 't1', true, '2026-01-01T10:00:00Z'));
    store.markLessonViewed('browser-a', 'm/one', new Date('2026-01-01T09:00:00Z'));
    classes.join(c.id, 'browser-a', 'Ada L.', new Date('2026-01-01T08:00:00Z'));
    expect(signIns.signInLearner(ada, 'browser-a', newId)).toEqual({
      learnerId: 'browser-a',
      decision: { kind: 'link-browser', learnerId: 'browser-a' },
    });

    // Browser B: other anonymous work, some of it the same tasks done earlier.
    store.touchLearner('browser-b');
    store.recordAttempt(attempt('browser-b', 't1', true, '2025-12-31T10:00:00Z'));
    store.recordAttempt(attempt('browser-b', 't2', false, '2026-01-02T10:00:00Z'));
    store.recordAttempt(attempt('browser-b', 't2', true, '2026-01-02T10:05:00Z'));
    store.markLessonViewed('browser-b', 'm/one', new Date('2026-01-02T09:00:00Z'));
    store.markLessonViewed('browser-b', 'm/two', new Date('2026-01-02T09:30:00Z'));
    answers.record('browser-b', 'q1', { choice: 0, answer: 'A' }, true, new Date('2026-01-02'));
    classes.join(c.id, 'browser-b', 'Anonymous B', new Date('2026-01-02T08:00:00Z'));

    expect(signIns.signInLearner(ada, 'browser-b', newId)).toEqual({
      learnerId: 'browser-a',
      decision: { kind: 'merge', from: 'browser-b', into: 'browser-a' },
    });
    expect(store.allCompletions('browser-a')).toEqual([
      { labId: 'lab', taskId: 't1', completedAt: '2025-12-31T10:00:00.000Z' },
      { labId: 'lab', taskId: 't2', completedAt: '2026-01-02T10:05:00.000Z' },
    ]);
    expect(store.attemptCount('browser-a', 'lab')).toBe(4);
    expect(store.lessonViews('browser-a').map((v) => [v.lessonId, v.viewedAt])).toEqual([
      ['m/one', '2026-01-01T09:00:00.000Z'],
      ['m/two', '2026-01-02T09:30:00.000Z'],
    ]);
    expect([...answers.states('browser-a').keys()]).toEqual(['q1']);
    expect(classes.members(c.id)).toEqual([
      { learnerId: 'browser-a', displayName: 'Ada L.', joinedAt: '2026-01-01T08:00:00.000Z' },
    ]);
    // Nothing is left behind with the old learner, who is marked as merged.
    expect(store.allCompletions('browser-b')).toEqual([]);
    expect(store.attemptCount('browser-b', 'lab')).toBe(0);
    expect(
      db.prepare("SELECT merged_into AS m FROM learners WHERE id = 'browser-b'").get(),
    ).toEqual({ m: 'browser-a' });
  });
});

describe('SignInStore', () => {
  it('gives a person from a fresh browser a new learner, and the same one every time', () => {
    const { signIns, newId } = setup();
    const first = signIns.signInLearner(ada, undefined, newId);
    expect(first).toEqual({ learnerId: 'new-learner-1', decision: { kind: 'new' } });
    expect(signIns.signInLearner(ada, undefined, newId).learnerId).toBe('new-learner-1');
    expect(signIns.signInLearner(ada, 'new-learner-1', newId).decision.kind).toBe('same');
    expect(signIns.isLinked('new-learner-1')).toBe(true);
    expect(signIns.personName('new-learner-1')).toEqual({ name: 'Ada' });
  });

  it('never hands one person’s progress to another on a shared browser', () => {
    const { store, signIns, newId } = setup();
    store.touchLearner('shared');
    signIns.signInLearner(ada, 'shared', newId);
    store.recordAttempt(attempt('shared', 't1', true, '2026-01-01T10:00:00Z'));
    const bob = signIns.signInLearner({ ...ada, subject: 'bob-sub', name: 'Bob' }, 'shared', newId);
    expect(bob).toEqual({ learnerId: 'new-learner-1', decision: { kind: 'new' } });
    expect(store.allCompletions('new-learner-1')).toEqual([]);
    expect(store.allCompletions('shared')).toHaveLength(1);
  });

  it('ignores a browser cookie for a learner the database does not know', () => {
    const { signIns, newId } = setup();
    expect(signIns.signInLearner(ada, 'ghost', newId).decision).toEqual({ kind: 'new' });
  });

  it('accepts a sign-in’s state once', () => {
    const { signIns } = setup();
    const now = new Date('2026-01-01T10:00:00Z');
    const expires = now.getTime() + 600_000;
    expect(signIns.useState('state-1', expires, now)).toBe(true);
    expect(signIns.useState('state-1', expires, now)).toBe(false);
    expect(signIns.useState('state-2', expires, now)).toBe(true);
    // Forgotten only once it would have expired anyway.
    expect(signIns.useState('state-1', expires, new Date(expires + 1))).toBe(true);
  });

  it('makes an instructor account once per person, never taking an existing name', async () => {
    const { db, signIns } = setup();
    const instructors = new InstructorStore(db);
    instructors.create('ada', 'scrypt$x');
    const pick = (taken: (n: string) => boolean) => (taken('ada') ? 'ada-2' : 'ada');
    const first = signIns.signInInstructor(ada, instructors, pick);
    expect(first.created).toBe(true);
    expect(first.instructor.username).toBe('ada-2');
    const again = signIns.signInInstructor(ada, instructors, pick);
    expect(again).toEqual({ instructor: first.instructor, created: false });
    // The account has no password that could ever match.
    expect(await verifyPassword('oidc', instructors.byUsername('ada-2')!.passwordHash)).toBe(false);
  });
});
