import type { DatabaseSync } from 'node:sqlite';
import type { CheckTrigger } from '../protocol/index.ts';

export interface CheckAttempt {
  learnerId: string;
  labId: string;
  taskId: string;
  passed: boolean;
  reason: string | undefined;
  trigger: CheckTrigger;
  durationMs: number;
  at: Date;
}

export interface TaskCompletion {
  taskId: string;
  completedAt: string;
}

export interface LastAttempt {
  taskId: string;
  passed: boolean;
  reason: string | null;
  at: string;
}

/**
 * Learners' progress in SQLite. Every write is its own transaction, committed before the
 * method returns: once a caller tells a learner "done", a crash cannot take it back.
 */
export class ProgressStore {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /** Records a learner the first time they are seen; refreshes last_seen_at after that. */
  touchLearner(id: string, now = new Date()): void {
    this.db
      .prepare(
        `INSERT INTO learners (id, created_at, last_seen_at) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at`,
      )
      .run(id, now.toISOString(), now.toISOString());
  }

  learnerExists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM learners WHERE id = ?').get(id) !== undefined;
  }

  /**
   * Records one check attempt and, when it passed, the task's completion, atomically.
   * Returns true when this attempt completed the task for the first time.
   */
  recordAttempt(a: CheckAttempt): boolean {
    const at = a.at.toISOString();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.db
        .prepare(
          `INSERT INTO check_attempts (learner_id, lab_id, task_id, passed, reason, trigger, duration_ms, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          a.learnerId,
          a.labId,
          a.taskId,
          a.passed ? 1 : 0,
          a.reason ?? null,
          a.trigger,
          a.durationMs,
          at,
        );
      let completed = false;
      if (a.passed) {
        // A completed task stays completed: the first completion time is kept.
        const r = this.db
          .prepare(
            `INSERT INTO task_completions (learner_id, lab_id, task_id, completed_at) VALUES (?, ?, ?, ?)
             ON CONFLICT DO NOTHING`,
          )
          .run(a.learnerId, a.labId, a.taskId, at);
        completed = Number(r.changes) > 0;
      }
      this.db.exec('COMMIT');
      return completed;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  completions(learnerId: string, labId: string): TaskCompletion[] {
    return this.db
      .prepare(
        'SELECT task_id AS taskId, completed_at AS completedAt FROM task_completions WHERE learner_id = ? AND lab_id = ? ORDER BY completed_at',
      )
      .all(learnerId, labId) as unknown as TaskCompletion[];
  }

  /** The most recent attempt per task, for showing why a task is still failing. */
  lastAttempts(learnerId: string, labId: string): LastAttempt[] {
    return (
      this.db
        .prepare(
          `SELECT task_id AS taskId, passed, reason, at FROM check_attempts c
           WHERE learner_id = ? AND lab_id = ? AND id = (
             SELECT MAX(id) FROM check_attempts WHERE learner_id = c.learner_id AND lab_id = c.lab_id AND task_id = c.task_id)`,
        )
        .all(learnerId, labId) as unknown as Array<{
        taskId: string;
        passed: number;
        reason: string | null;
        at: string;
      }>
    ).map((r) => ({ ...r, passed: r.passed === 1 }));
  }

  attemptCount(learnerId: string, labId: string, taskId?: string): number {
    const row = (
      taskId === undefined
        ? this.db
            .prepare('SELECT COUNT(*) AS n FROM check_attempts WHERE learner_id = ? AND lab_id = ?')
            .get(learnerId, labId)
        : this.db
            .prepare(
              'SELECT COUNT(*) AS n FROM check_attempts WHERE learner_id = ? AND lab_id = ? AND task_id = ?',
            )
            .get(learnerId, labId, taskId)
    ) as { n: number };
    return row.n;
  }

  /** Something the learner did that is not a check: for now, opening a hint. */
  recordLearnerEvent(
    e: { learnerId: string; labId: string; taskId?: string; kind: 'hint' | 'solution' },
    now = new Date(),
  ): void {
    this.db
      .prepare(
        'INSERT INTO learner_events (learner_id, lab_id, task_id, kind, at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(e.learnerId, e.labId, e.taskId ?? null, e.kind, now.toISOString());
  }

  learnerEvents(
    learnerId: string,
    labId: string,
  ): Array<{ taskId: string | null; kind: string; at: string }> {
    return this.db
      .prepare(
        'SELECT task_id AS taskId, kind, at FROM learner_events WHERE learner_id = ? AND lab_id = ? ORDER BY id',
      )
      .all(learnerId, labId) as unknown as Array<{
      taskId: string | null;
      kind: string;
      at: string;
    }>;
  }

  /** Every task this learner completed, in every lab. */
  allCompletions(learnerId: string): Array<{ labId: string; taskId: string; completedAt: string }> {
    return this.db
      .prepare(
        'SELECT lab_id AS labId, task_id AS taskId, completed_at AS completedAt FROM task_completions WHERE learner_id = ? ORDER BY completed_at',
      )
      .all(learnerId) as unknown as Array<{ labId: string; taskId: string; completedAt: string }>;
  }

  /** Records that a learner read a lesson to its end; the first time is kept. */
  markLessonViewed(learnerId: string, lessonId: string, now = new Date()): void {
    this.db
      .prepare(
        'INSERT INTO lesson_views (learner_id, lesson_id, viewed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(learnerId, lessonId, now.toISOString());
  }

  lessonViews(learnerId: string): Array<{ lessonId: string; viewedAt: string }> {
    return this.db
      .prepare(
        'SELECT lesson_id AS lessonId, viewed_at AS viewedAt FROM lesson_views WHERE learner_id = ? ORDER BY viewed_at',
      )
      .all(learnerId) as unknown as Array<{ lessonId: string; viewedAt: string }>;
  }

  recordCommand(c: {
    learnerId: string;
    labId: string;
    sessionId: string;
    command: string;
    exitCode: number;
    startedAt: Date;
    finishedAt: Date;
  }): void {
    this.db
      .prepare(
        'INSERT INTO commands (learner_id, lab_id, session_id, command, exit_code, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        c.learnerId,
        c.labId,
        c.sessionId,
        c.command,
        c.exitCode,
        c.startedAt.toISOString(),
        c.finishedAt.toISOString(),
      );
  }

  commands(
    learnerId: string,
    labId?: string,
  ): Array<{
    labId: string;
    command: string;
    exitCode: number;
    startedAt: string;
    finishedAt: string;
  }> {
    const sql = `SELECT lab_id AS labId, command, exit_code AS exitCode, started_at AS startedAt, finished_at AS finishedAt
                 FROM commands WHERE learner_id = ?${labId ? ' AND lab_id = ?' : ''} ORDER BY id`;
    const stmt = this.db.prepare(sql);
    return (labId ? stmt.all(learnerId, labId) : stmt.all(learnerId)) as unknown as Array<{
      labId: string;
      command: string;
      exitCode: number;
      startedAt: string;
      finishedAt: string;
    }>;
  }

  recordingStarted(r: {
    learnerId: string;
    labId: string;
    sessionId: string;
    path: string;
    startedAt: Date;
  }): number {
    const res = this.db
      .prepare(
        'INSERT INTO recordings (learner_id, lab_id, session_id, path, started_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(r.learnerId, r.labId, r.sessionId, r.path, r.startedAt.toISOString());
    return Number(res.lastInsertRowid);
  }

  recordings(
    learnerId: string,
  ): Array<{ id: number; labId: string; sessionId: string; path: string; startedAt: string }> {
    return this.db
      .prepare(
        'SELECT id, lab_id AS labId, session_id AS sessionId, path, started_at AS startedAt FROM recordings WHERE learner_id = ? ORDER BY started_at',
      )
      .all(learnerId) as unknown as Array<{
      id: number;
      labId: string;
      sessionId: string;
      path: string;
      startedAt: string;
    }>;
  }

  recording(
    id: number,
  ): { id: number; learnerId: string; labId: string; path: string; startedAt: string } | undefined {
    return this.db
      .prepare(
        'SELECT id, learner_id AS learnerId, lab_id AS labId, path, started_at AS startedAt FROM recordings WHERE id = ?',
      )
      .get(id) as
      | { id: number; learnerId: string; labId: string; path: string; startedAt: string }
      | undefined;
  }

  recordingForSession(sessionId: string): { path: string; startedAt: string } | undefined {
    return this.db
      .prepare(
        'SELECT path, started_at AS startedAt FROM recordings WHERE session_id = ? ORDER BY id DESC LIMIT 1',
      )
      .get(sessionId) as { path: string; startedAt: string } | undefined;
  }

  /** Recordings that started before `before`, for the retention sweep. */
  recordingsOlderThan(before: Date): Array<{ id: number; path: string }> {
    return this.db
      .prepare('SELECT id, path FROM recordings WHERE started_at < ?')
      .all(before.toISOString()) as unknown as Array<{ id: number; path: string }>;
  }

  forgetRecording(id: number): void {
    this.db.prepare('DELETE FROM recordings WHERE id = ?').run(id);
  }

  sandboxStarted(
    s: { sessionId: string; learnerId: string; labId: string; sandboxId: string },
    now = new Date(),
  ): void {
    this.db
      .prepare(
        'INSERT INTO sandboxes (session_id, learner_id, lab_id, sandbox_id, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(s.sessionId, s.learnerId, s.labId, s.sandboxId, now.toISOString());
  }

  sandboxEnded(sessionId: string, reason: string, now = new Date()): void {
    this.db
      .prepare(
        'UPDATE sandboxes SET ended_at = ?, end_reason = ? WHERE session_id = ? AND ended_at IS NULL',
      )
      .run(now.toISOString(), reason, sessionId);
    this.db.prepare('DELETE FROM pool_sandboxes WHERE session_id = ?').run(sessionId);
  }

  /** Who a sandbox session belongs to; undefined for a pooled (unclaimed) or unknown one. */
  sandboxOwner(sessionId: string): { learnerId: string; labId: string } | undefined {
    return this.db
      .prepare(
        'SELECT learner_id AS learnerId, lab_id AS labId FROM sandboxes WHERE session_id = ?',
      )
      .get(sessionId) as { learnerId: string; labId: string } | undefined;
  }

  lastEndedSandbox(
    learnerId: string,
    labId: string,
  ): { sessionId: string; endReason: string | null } | undefined {
    return this.db
      .prepare(
        'SELECT session_id AS sessionId, end_reason AS endReason FROM sandboxes WHERE learner_id = ? AND lab_id = ? AND ended_at IS NOT NULL ORDER BY ended_at DESC, rowid DESC LIMIT 1',
      )
      .get(learnerId, labId) as { sessionId: string; endReason: string | null } | undefined;
  }

  /** Sessions whose sandbox should exist: learners' live ones and the warm pool's. */
  liveSessions(): string[] {
    const rows = this.db
      .prepare(
        'SELECT session_id AS s FROM sandboxes WHERE ended_at IS NULL UNION SELECT session_id FROM pool_sandboxes',
      )
      .all() as Array<{ s: string }>;
    return rows.map((r) => r.s);
  }

  liveSandbox(
    learnerId: string,
    labId: string,
  ): { sessionId: string; sandboxId: string } | undefined {
    return this.db
      .prepare(
        'SELECT session_id AS sessionId, sandbox_id AS sandboxId FROM sandboxes WHERE learner_id = ? AND lab_id = ? AND ended_at IS NULL ORDER BY created_at DESC LIMIT 1',
      )
      .get(learnerId, labId) as { sessionId: string; sandboxId: string } | undefined;
  }
}
