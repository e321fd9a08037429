import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { Member } from '../protocol/instructor-views.ts';

export interface ClassInfo {
  id: string;
  instructorId: string;
  name: string;
  modules: string[];
  joinCode: string;
  createdAt: string;
  /** Only learners who signed in (single sign-on or an LMS launch) may join. */
  requireSignIn: boolean;
}

export type { Member } from '../protocol/instructor-views.ts';

/** Join codes avoid look-alike characters so they can be read aloud and typed. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export function newJoinCode(): string {
  const bytes = randomBytes(8);
  return Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

type Row = {
  id: string;
  instructorId: string;
  name: string;
  modules: string;
  joinCode: string;
  createdAt: string;
  requireSignIn: number;
};
const toClass = (r: Row): ClassInfo => ({
  ...r,
  modules: JSON.parse(r.modules) as string[],
  requireSignIn: r.requireSignIn === 1,
});
const SELECT =
  'SELECT id, instructor_id AS instructorId, name, modules, join_code AS joinCode, created_at AS createdAt, require_sign_in AS requireSignIn FROM classes';

const TAUGHT_BY =
  '(instructor_id = ? OR id IN (SELECT class_id FROM class_teachers WHERE instructor_id = ?))';

export class ClassStore {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  create(
    instructorId: string,
    name: string,
    modules: string[],
    now = new Date(),
    requireSignIn = false,
  ): ClassInfo {
    const c: ClassInfo = {
      id: randomBytes(9).toString('base64url'),
      instructorId,
      name,
      modules,
      joinCode: newJoinCode(),
      createdAt: now.toISOString(),
      requireSignIn,
    };
    this.db
      .prepare(
        'INSERT INTO classes (id, instructor_id, name, modules, join_code, created_at, require_sign_in) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        c.id,
        c.instructorId,
        c.name,
        JSON.stringify(c.modules),
        c.joinCode,
        c.createdAt,
        c.requireSignIn ? 1 : 0,
      );
    return c;
  }

  /** Whether only signed-in learners may join from now on (members stay members). */
  setRequireSignIn(classId: string, required: boolean): void {
    this.db
      .prepare('UPDATE classes SET require_sign_in = ? WHERE id = ?')
      .run(required ? 1 : 0, classId);
  }

  /**
   * A class only if this instructor owns it or teaches it (an LMS course's instructors, see
   * addTeacher): others' classes do not exist for them.
   */
  ownedBy(classId: string, instructorId: string): ClassInfo | undefined {
    const r = this.db
      .prepare(`${SELECT} WHERE id = ? AND ${TAUGHT_BY}`)
      .get(classId, instructorId, instructorId) as Row | undefined;
    return r && toClass(r);
  }

  /** Any class, whoever owns it: for the platform's own work (webhooks), never for a route. */
  byId(classId: string): ClassInfo | undefined {
    const r = this.db.prepare(`${SELECT} WHERE id = ?`).get(classId) as Row | undefined;
    return r && toClass(r);
  }

  all(): ClassInfo[] {
    return (this.db.prepare(`${SELECT} ORDER BY created_at`).all() as unknown as Row[]).map(
      toClass,
    );
  }

  listFor(instructorId: string): ClassInfo[] {
    return (
      this.db
        .prepare(`${SELECT} WHERE ${TAUGHT_BY} ORDER BY created_at DESC`)
        .all(instructorId, instructorId) as unknown as Row[]
    ).map(toClass);
  }

  /** Lets an instructor who does not own a class see and run it as its owner does. */
  addTeacher(classId: string, instructorId: string): void {
    this.db
      .prepare(
        'INSERT INTO class_teachers (class_id, instructor_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
      )
      .run(classId, instructorId);
  }

  byJoinCode(code: string): ClassInfo | undefined {
    const r = this.db.prepare(`${SELECT} WHERE join_code = ?`).get(code.toUpperCase()) as
      | Row
      | undefined;
    return r && toClass(r);
  }

  /** Adds (or renames) a member; their existing progress is theirs already, by learner id. */
  join(classId: string, learnerId: string, displayName: string, now = new Date()): void {
    this.db
      .prepare(
        `INSERT INTO class_members (class_id, learner_id, display_name, joined_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (class_id, learner_id) DO UPDATE SET display_name = excluded.display_name`,
      )
      .run(classId, learnerId, displayName, now.toISOString());
  }

  members(classId: string): Member[] {
    return this.db
      .prepare(
        'SELECT learner_id AS learnerId, display_name AS displayName, joined_at AS joinedAt FROM class_members WHERE class_id = ? ORDER BY display_name COLLATE NOCASE',
      )
      .all(classId) as unknown as Member[];
  }

  isMember(classId: string, learnerId: string): boolean {
    return (
      this.db
        .prepare('SELECT 1 FROM class_members WHERE class_id = ? AND learner_id = ?')
        .get(classId, learnerId) !== undefined
    );
  }

  classesOf(learnerId: string): Array<{ id: string; name: string; displayName: string }> {
    return this.db
      .prepare(
        'SELECT c.id, c.name, m.display_name AS displayName FROM class_members m JOIN classes c ON c.id = m.class_id WHERE m.learner_id = ? ORDER BY m.joined_at',
      )
      .all(learnerId) as unknown as Array<{ id: string; name: string; displayName: string }>;
  }
}
