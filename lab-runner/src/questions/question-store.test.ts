import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../progress/database.ts';
import { ProgressStore } from '../progress/progress-store.ts';
import { QuestionStore } from './question-store.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-questions-'));
  file = join(dir, 'slipway.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const at = (s: number) => new Date(Date.UTC(2026, 11, 7, 10, 0, s));

describe('QuestionStore', () => {
  it('records every attempt and keeps the first right answer, like a task completion', () => {
    const db = openDatabase(file);
    new ProgressStore(db).touchLearner('L1');
    const store = new QuestionStore(db);
    expect(store.record('L1', 'q', { choice: 0, answer: 'A' }, false, at(1))).toBe(false);
    expect(store.record('L1', 'q', { choice: 1, answer: 'B' }, true, at(2))).toBe(true);
    // Wrong after right: still done, and the first right time is kept.
    expect(store.record('L1', 'q', { choice: 0, answer: 'A' }, false, at(3))).toBe(false);
    expect(store.record('L1', 'q', { choice: 1, answer: 'B' }, true, at(4))).toBe(false);
    const s = store.states('L1').get('q')!;
    expect(s).toEqual({
      questionId: 'q',
      attempts: 4,
      correctAt: at(2).toISOString(),
      last: { questionId: 'q', choice: 1, answer: 'B', correct: true, at: at(4).toISOString() },
    });
    expect(store.attempts('L1').map((a) => a.correct)).toEqual([false, true, false, true]);
    db.close();
  });

  it('keeps answers in the SQLite file across a restart, per learner', () => {
    let db = openDatabase(file);
    const progress = new ProgressStore(db);
    progress.touchLearner('L1');
    progress.touchLearner('L2');
    new QuestionStore(db).record('L1', 'q', { choice: null, answer: 'bridge' }, true, at(1));
    db.close();
    db = openDatabase(file);
    const store = new QuestionStore(db);
    expect(store.states('L1').get('q')?.correctAt).toBe(at(1).toISOString());
    expect(store.states('L2').size).toBe(0);
    db.close();
  });

  it('refuses answers from a learner the store does not know', () => {
    const db = openDatabase(file);
    expect(() =>
      new QuestionStore(db).record('nobody', 'q', { choice: 0, answer: 'A' }, true),
    ).toThrow(/FOREIGN KEY/);
    expect(new QuestionStore(db).attempts('nobody')).toEqual([]);
    db.close();
  });
});
