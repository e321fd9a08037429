import type { DatabaseSync } from 'node:sqlite';
import type { GivenAnswer } from './grade.ts';

export interface QuestionAttempt {
  questionId: string;
  choice: number | null;
  answer: string;
  correct: boolean;
  at: string;
}

export interface QuestionState {
  questionId: string;
  attempts: number;
  /** When the learner first answered correctly; a right answer stays right. */
  correctAt: string | null;
  last: QuestionAttempt;
}

interface AttemptRow {
  questionId: string;
  choice: number | null;
  answer: string;
  correct: number;
  at: string;
}

const attempt = (r: AttemptRow): QuestionAttempt => ({ ...r, correct: r.correct === 1 });

/**
 * Answers to questions, in the same SQLite file as task progress (migration 7): every attempt,
 * and the first correct one per learner and question, like a task's completion.
 */
export class QuestionStore {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /**
   * Records one answer and, when right, the question as answered, atomically. Returns true
   * when this answer was the learner's first right one.
   */
  record(
    learnerId: string,
    questionId: string,
    given: GivenAnswer,
    correct: boolean,
    now = new Date(),
  ): boolean {
    const at = now.toISOString();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.db
        .prepare(
          'INSERT INTO question_attempts (learner_id, question_id, choice, answer, correct, at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(learnerId, questionId, given.choice, given.answer, correct ? 1 : 0, at);
      let first = false;
      if (correct) {
        const r = this.db
          .prepare(
            'INSERT INTO question_completions (learner_id, question_id, correct_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
          )
          .run(learnerId, questionId, at);
        first = Number(r.changes) > 0;
      }
      this.db.exec('COMMIT');
      return first;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /** Every attempt of one learner, oldest first. */
  attempts(learnerId: string): QuestionAttempt[] {
    return (
      this.db
        .prepare(
          'SELECT question_id AS questionId, choice, answer, correct, at FROM question_attempts WHERE learner_id = ? ORDER BY id',
        )
        .all(learnerId) as unknown as AttemptRow[]
    ).map(attempt);
  }

  /** Per question the learner has answered: attempts, first right answer, latest answer. */
  states(learnerId: string): Map<string, QuestionState> {
    const correctAt = new Map(
      (
        this.db
          .prepare(
            'SELECT question_id AS questionId, correct_at AS correctAt FROM question_completions WHERE learner_id = ?',
          )
          .all(learnerId) as Array<{ questionId: string; correctAt: string }>
      ).map((r) => [r.questionId, r.correctAt]),
    );
    const out = new Map<string, QuestionState>();
    for (const a of this.attempts(learnerId)) {
      const prev = out.get(a.questionId);
      out.set(a.questionId, {
        questionId: a.questionId,
        attempts: (prev?.attempts ?? 0) + 1,
        correctAt: correctAt.get(a.questionId) ?? null,
        last: a,
      });
    }
    return out;
  }
}
