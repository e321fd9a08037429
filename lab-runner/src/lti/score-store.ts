import type { DatabaseSync } from 'node:sqlite';
import type { ContextKey, GradeTarget } from './lti-store.ts';

export interface ScoreSend extends ContextKey {
  id: number;
  learnerId: string;
  labId: string;
  scoreGiven: number;
  scoreMaximum: number;
  activityProgress: string;
  gradingProgress: string;
  status: 'pending' | 'sent' | 'failed' | 'superseded';
  attempts: number;
  responseCode: number | null;
  lastError: string | null;
}

const SEND_COLS = `id, learner_id AS learnerId, lab_id AS labId, issuer, deployment_id AS deploymentId,
  context_id AS contextId, score_given AS scoreGiven, score_maximum AS scoreMaximum,
  activity_progress AS activityProgress, grading_progress AS gradingProgress, status, attempts,
  response_code AS responseCode, last_error AS lastError`;

/**
 * The scores for LMS gradebooks: a queue of sends (a sender claims the due ones, and a claim
 * runs out, so after a crash a send is simply due again) that is also their record, with
 * every attempt and the gradebook's answer.
 */
export class ScoreStore {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /** Queues a score; an older score still pending for the same target is superseded. */
  queueScore(
    t: GradeTarget,
    score: { given: number; maximum: number; activity: string; grading: string },
    now = new Date(),
  ): number {
    this.db
      .prepare(
        `UPDATE lti_score_sends SET status = 'superseded', next_attempt_at = NULL
         WHERE status = 'pending' AND learner_id = ? AND lab_id = ? AND issuer = ? AND deployment_id = ? AND context_id = ?`,
      )
      .run(t.learnerId, t.labId, t.issuer, t.deploymentId, t.contextId);
    const r = this.db
      .prepare(
        `INSERT INTO lti_score_sends (learner_id, lab_id, issuer, deployment_id, context_id, score_given, score_maximum,
           activity_progress, grading_progress, status, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      )
      .run(
        t.learnerId,
        t.labId,
        t.issuer,
        t.deploymentId,
        t.contextId,
        score.given,
        score.maximum,
        score.activity,
        score.grading,
        now.toISOString(),
        now.toISOString(),
      );
    return Number(r.lastInsertRowid);
  }

  /** Claims the due sends: each moves `leaseMs` ahead, so after a crash it is due again. */
  claimDue(leaseMs: number, now = new Date()): ScoreSend[] {
    const due = this.db
      .prepare(
        `SELECT ${SEND_COLS} FROM lti_score_sends WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT 20`,
      )
      .all(now.toISOString()) as unknown as ScoreSend[];
    const lease = new Date(now.getTime() + leaseMs).toISOString();
    for (const s of due)
      this.db
        .prepare('UPDATE lti_score_sends SET next_attempt_at = ? WHERE id = ?')
        .run(lease, s.id);
    return due;
  }

  nextDue(): Date | undefined {
    const row = this.db
      .prepare(`SELECT min(next_attempt_at) AS at FROM lti_score_sends WHERE status = 'pending'`)
      .get() as { at: string | null };
    return row.at ? new Date(row.at) : undefined;
  }

  /** Stores an attempt's outcome: sent, failed for good, or due again at `retryAt`. */
  recordAttempt(
    id: number,
    outcome: {
      status: 'sent' | 'failed' | 'pending';
      code?: number;
      error?: string;
      retryAt?: Date;
    },
    now = new Date(),
  ): void {
    this.db
      .prepare(
        `UPDATE lti_score_sends SET attempts = attempts + 1, last_attempt_at = ?, response_code = ?, last_error = ?,
           status = CASE WHEN status = 'superseded' THEN status ELSE ? END, next_attempt_at = ?
         WHERE id = ?`,
      )
      .run(
        now.toISOString(),
        outcome.code ?? null,
        outcome.error ?? null,
        outcome.status,
        outcome.retryAt?.toISOString() ?? null,
        id,
      );
    this.db
      .prepare(
        'INSERT INTO lti_score_attempts (send_id, at, response_code, error) VALUES (?, ?, ?, ?)',
      )
      .run(id, now.toISOString(), outcome.code ?? null, outcome.error ?? null);
  }

  /** Every attempt at one send, oldest first. */
  attempts(
    sendId: number,
  ): Array<{ at: string; responseCode: number | null; error: string | null }> {
    return this.db
      .prepare(
        'SELECT at, response_code AS responseCode, error FROM lti_score_attempts WHERE send_id = ? ORDER BY id',
      )
      .all(sendId) as unknown as Array<{
      at: string;
      responseCode: number | null;
      error: string | null;
    }>;
  }

  /** Forgets settled sends (not pending) made before `before`; returns how many. */
  prune(before: Date): number {
    const r = this.db
      .prepare(`DELETE FROM lti_score_sends WHERE status != 'pending' AND created_at < ?`)
      .run(before.toISOString());
    return Number(r.changes);
  }

  /** The sends to one course's gradebook, newest first, at most `limit`. */
  sendsTo(k: ContextKey, limit = 200): ScoreSend[] {
    return this.db
      .prepare(
        `SELECT ${SEND_COLS} FROM lti_score_sends WHERE issuer = ? AND deployment_id = ? AND context_id = ?
         ORDER BY id DESC LIMIT ?`,
      )
      .all(k.issuer, k.deploymentId, k.contextId, limit) as unknown as ScoreSend[];
  }

  sends(learnerId?: string): ScoreSend[] {
    return this.db
      .prepare(
        `SELECT ${SEND_COLS} FROM lti_score_sends WHERE ? IS NULL OR learner_id = ? ORDER BY id`,
      )
      .all(learnerId ?? null, learnerId ?? null) as unknown as ScoreSend[];
  }
}
