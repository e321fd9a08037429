import { createHash } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { Instructor, InstructorStore } from '../accounts/instructor-store.ts';
import { type LinkDecision, linkDecision } from '../oidc/learner-link.ts';
import { mergeLearners } from './learner-merge.ts';

/** A person at the provider: an issuer and the subject it gave them. */
export interface Person {
  issuer: string;
  subject: string;
  /** What the provider calls them, for "Signed in as …". */
  name: string | undefined;
}

/**
 * An instructor account made by single sign-on has this instead of a password hash: it never
 * verifies (passwords.ts accepts only scrypt hashes), and `npm run instructor -- set-password`
 * can still give the account a password later.
 */
export const NO_PASSWORD = 'oidc';

const hashState = (state: string) => createHash('sha256').update(state).digest('base64url');

/**
 * Who signed in through the OpenID Connect provider: the learner and the instructor account
 * behind each person, and the sign-in states already answered. Each sign-in is one
 * transaction, so two tabs finishing at once cannot give one person two learners.
 */
export class SignInStore {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /**
   * Records a sign-in's state as answered. False when it already was: the provider's answer
   * is being replayed. Expired states are forgotten as it goes.
   */
  useState(state: string, expiresAt: number, now = new Date()): boolean {
    this.db.prepare('DELETE FROM oidc_used_states WHERE expires_at < ?').run(now.toISOString());
    const r = this.db
      .prepare(
        'INSERT INTO oidc_used_states (state_hash, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
      )
      .run(hashState(state), new Date(expiresAt).toISOString());
    return Number(r.changes) === 1;
  }

  /** Whether a learner belongs to a person (one who signed in). */
  isLinked(learnerId: string): boolean {
    return (
      this.db.prepare('SELECT 1 FROM oidc_learners WHERE learner_id = ?').get(learnerId) !==
      undefined
    );
  }

  /** The name of the person a learner belongs to; undefined for an anonymous learner. */
  personName(learnerId: string): { name: string | null } | undefined {
    return this.db.prepare('SELECT name FROM oidc_learners WHERE learner_id = ?').get(learnerId) as
      | { name: string | null }
      | undefined;
  }

  /**
   * A learner's sign-in: the person's learner, the browser's anonymous one linked to them or
   * merged into theirs, or a new one (see linkDecision). Returns the learner the browser is
   * from now on, and what was done.
   */
  signInLearner(
    person: Person,
    browser: string | undefined,
    newLearnerId: () => string,
    now = new Date(),
  ): { learnerId: string; decision: LinkDecision } {
    return this.transaction(() => {
      const row = this.db
        .prepare('SELECT learner_id AS id FROM oidc_learners WHERE issuer = ? AND subject = ?')
        .get(person.issuer, person.subject) as { id: string } | undefined;
      const known =
        browser !== undefined &&
        this.db.prepare('SELECT 1 FROM learners WHERE id = ?').get(browser) !== undefined;
      const decision = linkDecision({
        person: row?.id,
        browser: known ? browser : undefined,
        browserLinked: known && this.isLinked(browser!),
      });
      const at = now.toISOString();
      let learnerId: string;
      switch (decision.kind) {
        case 'same':
        case 'switch':
          learnerId = decision.learnerId;
          break;
        case 'merge':
          mergeLearners(this.db, decision.from, decision.into, now);
          learnerId = decision.into;
          break;
        case 'link-browser':
        case 'new': {
          learnerId = decision.kind === 'new' ? newLearnerId() : decision.learnerId;
          this.db
            .prepare(
              `INSERT INTO learners (id, created_at, last_seen_at) VALUES (?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at`,
            )
            .run(learnerId, at, at);
          this.db
            .prepare(
              'INSERT INTO oidc_learners (issuer, subject, learner_id, name, linked_at, last_sign_in_at) VALUES (?, ?, ?, ?, ?, ?)',
            )
            .run(person.issuer, person.subject, learnerId, person.name ?? null, at, at);
          break;
        }
      }
      this.db
        .prepare(
          'UPDATE oidc_learners SET name = coalesce(?, name), last_sign_in_at = ? WHERE issuer = ? AND subject = ?',
        )
        .run(person.name ?? null, at, person.issuer, person.subject);
      this.db.prepare('UPDATE learners SET last_seen_at = ? WHERE id = ?').run(at, learnerId);
      return { learnerId, decision };
    });
  }

  /**
   * The learner of a person known before they sign in (a course roster from their LMS), made
   * when new with no browser of theirs; their first sign-in finds it, as any later one does.
   */
  learnerOfPerson(person: Person, newLearnerId: () => string, now = new Date()): string {
    return this.transaction(() => {
      const row = this.db
        .prepare('SELECT learner_id AS id FROM oidc_learners WHERE issuer = ? AND subject = ?')
        .get(person.issuer, person.subject) as { id: string } | undefined;
      if (row) return row.id;
      const id = newLearnerId();
      const at = now.toISOString();
      this.db
        .prepare('INSERT INTO learners (id, created_at, last_seen_at) VALUES (?, ?, ?)')
        .run(id, at, at);
      this.db
        .prepare(
          'INSERT INTO oidc_learners (issuer, subject, learner_id, name, linked_at, last_sign_in_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(person.issuer, person.subject, id, person.name ?? null, at, at);
      return id;
    });
  }

  /**
   * The instructor account behind a person, made at their first sign-in with a username
   * nobody has (the caller has already checked that they may teach).
   */
  signInInstructor(
    person: Person,
    instructors: InstructorStore,
    username: (taken: (name: string) => boolean) => string,
    now = new Date(),
  ): { instructor: Instructor; created: boolean } {
    return this.transaction(() => {
      const at = now.toISOString();
      const existing = this.db
        .prepare(
          `SELECT i.id, i.username FROM oidc_instructors o JOIN instructors i ON i.id = o.instructor_id
           WHERE o.issuer = ? AND o.subject = ?`,
        )
        .get(person.issuer, person.subject) as Instructor | undefined;
      if (existing) {
        this.db
          .prepare(
            'UPDATE oidc_instructors SET last_sign_in_at = ? WHERE issuer = ? AND subject = ?',
          )
          .run(at, person.issuer, person.subject);
        return { instructor: existing, created: false };
      }
      const name = username((n) => instructors.byUsername(n) !== undefined);
      const instructor = instructors.create(name, NO_PASSWORD, now);
      this.db
        .prepare(
          'INSERT INTO oidc_instructors (issuer, subject, instructor_id, linked_at, last_sign_in_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(person.issuer, person.subject, instructor.id, at, at);
      return { instructor, created: true };
    });
  }

  private transaction<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      this.db.exec('COMMIT');
      return out;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }
}
