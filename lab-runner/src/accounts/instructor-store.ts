import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';

export interface Instructor {
  id: string;
  username: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Instructor accounts and their server-side sessions. The database keeps only a hash of each
 * session token, so a copy of the file does not log anyone in.
 */
export class InstructorStore {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  create(username: string, passwordHash: string, now = new Date()): Instructor {
    const id = randomBytes(9).toString('base64url');
    try {
      this.db
        .prepare(
          'INSERT INTO instructors (id, username, password_hash, created_at) VALUES (?, ?, ?, ?)',
        )
        .run(id, username, passwordHash, now.toISOString());
    } catch (err) {
      if (String((err as Error).message).includes('UNIQUE'))
        throw new Error(`an instructor named "${username}" already exists`);
      throw err;
    }
    return { id, username };
  }

  setPassword(username: string, passwordHash: string): boolean {
    const r = this.db
      .prepare('UPDATE instructors SET password_hash = ? WHERE username = ?')
      .run(passwordHash, username);
    if (Number(r.changes) === 0) return false;
    // A new password ends every session.
    this.db
      .prepare(
        'DELETE FROM instructor_sessions WHERE instructor_id = (SELECT id FROM instructors WHERE username = ?)',
      )
      .run(username);
    return true;
  }

  byUsername(username: string): (Instructor & { passwordHash: string }) | undefined {
    return this.db
      .prepare(
        'SELECT id, username, password_hash AS passwordHash FROM instructors WHERE username = ?',
      )
      .get(username) as (Instructor & { passwordHash: string }) | undefined;
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM instructors').get() as { n: number }).n;
  }

  /** A new session (a fresh token every login); returns the token for the cookie. */
  startSession(instructorId: string, ttlMs: number, now = new Date()): string {
    const token = randomBytes(32).toString('base64url');
    this.db
      .prepare(
        'INSERT INTO instructor_sessions (token_hash, instructor_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
      )
      .run(
        hashToken(token),
        instructorId,
        now.toISOString(),
        new Date(now.getTime() + ttlMs).toISOString(),
      );
    this.db.prepare('DELETE FROM instructor_sessions WHERE expires_at < ?').run(now.toISOString());
    return token;
  }

  sessionInstructor(token: string | undefined, now = new Date()): Instructor | undefined {
    if (!token) return undefined;
    return this.db
      .prepare(
        `SELECT i.id, i.username FROM instructor_sessions s JOIN instructors i ON i.id = s.instructor_id
         WHERE s.token_hash = ? AND s.expires_at > ?`,
      )
      .get(hashToken(token), now.toISOString()) as Instructor | undefined;
  }

  endSession(token: string): void {
    this.db.prepare('DELETE FROM instructor_sessions WHERE token_hash = ?').run(hashToken(token));
  }
}
