import type { DatabaseSync } from 'node:sqlite';

export interface PooledRow {
  sessionId: string;
  labId: string;
  sandboxId: string;
  createdAt: string;
}

/** The warm pool's rows: ready sandboxes not yet handed to a learner. */
export class PoolStore {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  add(row: PooledRow): void {
    this.db
      .prepare(
        'INSERT INTO pool_sandboxes (session_id, lab_id, sandbox_id, created_at) VALUES (?, ?, ?, ?)',
      )
      .run(row.sessionId, row.labId, row.sandboxId, row.createdAt);
  }

  remove(sessionId: string): void {
    this.db.prepare('DELETE FROM pool_sandboxes WHERE session_id = ?').run(sessionId);
  }

  all(): PooledRow[] {
    return this.db
      .prepare(
        'SELECT session_id AS sessionId, lab_id AS labId, sandbox_id AS sandboxId, created_at AS createdAt FROM pool_sandboxes ORDER BY created_at',
      )
      .all() as unknown as PooledRow[];
  }

  /**
   * Hands a pooled sandbox to a learner: its pool row becomes their live sandbox row in one
   * transaction. False when it was no longer pooled (claimed or removed meanwhile).
   */
  claim(sessionId: string, learnerId: string, now = new Date()): boolean {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const row = this.db
        .prepare(
          'SELECT lab_id AS labId, sandbox_id AS sandboxId FROM pool_sandboxes WHERE session_id = ?',
        )
        .get(sessionId) as { labId: string; sandboxId: string } | undefined;
      if (!row) {
        this.db.exec('ROLLBACK');
        return false;
      }
      this.db.prepare('DELETE FROM pool_sandboxes WHERE session_id = ?').run(sessionId);
      this.db
        .prepare(
          'INSERT INTO sandboxes (session_id, learner_id, lab_id, sandbox_id, created_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(sessionId, learnerId, row.labId, row.sandboxId, now.toISOString());
      this.db.exec('COMMIT');
      return true;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }
}
