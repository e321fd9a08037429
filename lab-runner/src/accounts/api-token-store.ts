import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { Instructor } from './instructor-store.ts';

/** What an instructor sees of a token: never the token itself, which is shown once. */
export interface ApiTokenInfo {
  id: string;
  label: string;
  /** The token's first characters, to tell tokens apart. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** Every token starts so, which lets secret scanners and people recognise one. */
export const TOKEN_MARK = 'slw_';
const PREFIX_LENGTH = TOKEN_MARK.length + 8;
/** last_used_at is written at most this often per token, not on every request. */
const LAST_USED_GRANULARITY_MS = 60_000;

export const hashApiToken = (token: string) =>
  createHash('sha256').update(token).digest('base64url');

/** 32 random bytes: a token cannot be guessed, so an unsalted fast hash is enough to store. */
export const newApiToken = () => `${TOKEN_MARK}${randomBytes(32).toString('base64url')}`;

const INFO =
  'SELECT id, label, prefix, created_at AS createdAt, last_used_at AS lastUsedAt FROM api_tokens';

/**
 * Instructors' tokens for the read API (/api/v1/). The database keeps only a hash of each, so
 * a copy of the file grants nothing; a revoked token stays listed nowhere and works nowhere.
 */
export class ApiTokenStore {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  create(
    instructorId: string,
    label: string,
    now = new Date(),
  ): { token: string; info: ApiTokenInfo } {
    const token = newApiToken();
    const info: ApiTokenInfo = {
      id: `tok_${randomBytes(9).toString('base64url')}`,
      label,
      prefix: token.slice(0, PREFIX_LENGTH),
      createdAt: now.toISOString(),
      lastUsedAt: null,
    };
    this.db
      .prepare(
        'INSERT INTO api_tokens (id, instructor_id, token_hash, prefix, label, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(info.id, instructorId, hashApiToken(token), info.prefix, label, info.createdAt);
    return { token, info };
  }

  /** The instructor's live tokens, newest first. */
  list(instructorId: string): ApiTokenInfo[] {
    return this.db
      .prepare(
        `${INFO} WHERE instructor_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, id`,
      )
      .all(instructorId) as unknown as ApiTokenInfo[];
  }

  /** False when the instructor has no such live token (another's token is no such token). */
  revoke(instructorId: string, id: string, now = new Date()): boolean {
    const r = this.db
      .prepare(
        'UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND instructor_id = ? AND revoked_at IS NULL',
      )
      .run(now.toISOString(), id, instructorId);
    return Number(r.changes) > 0;
  }

  /** The instructor a live token belongs to, noting when it was used; undefined otherwise. */
  authenticate(token: string, now = new Date()): Instructor | undefined {
    if (!token.startsWith(TOKEN_MARK) || token.length > 100) return undefined;
    const row = this.db
      .prepare(
        `SELECT t.id AS tokenId, t.last_used_at AS lastUsedAt, i.id, i.username
         FROM api_tokens t JOIN instructors i ON i.id = t.instructor_id
         WHERE t.token_hash = ? AND t.revoked_at IS NULL`,
      )
      .get(hashApiToken(token)) as
      | { tokenId: string; lastUsedAt: string | null; id: string; username: string }
      | undefined;
    if (!row) return undefined;
    if (!row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) >= LAST_USED_GRANULARITY_MS)
      this.db
        .prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?')
        .run(now.toISOString(), row.tokenId);
    return { id: row.id, username: row.username };
  }
}
