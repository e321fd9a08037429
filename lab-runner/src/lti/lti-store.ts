import type { DatabaseSync } from 'node:sqlite';

/** An LMS course: one context of one deployment at one platform. */
export interface ContextKey {
  issuer: string;
  deploymentId: string;
  contextId: string;
}

/** Where a learner's score for a lab goes (the AGS endpoint of the launch that opened it). */
export interface GradeTarget extends ContextKey {
  learnerId: string;
  labId: string;
  resourceLinkId: string;
  /** The learner's `sub` at the platform: AGS scores name the user by it. */
  userId: string;
  lineitemsUrl: string | null;
  lineitemUrl: string | null;
  scopes: string[];
}

/** What LTI keeps in SQLite: used nonces, course contexts and grade targets. */
export class LtiStore {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /** Records a launch's nonce as used; false when it already was. Expired ones are forgotten. */
  useNonce(issuer: string, nonce: string, expiresAt: Date, now = new Date()): boolean {
    this.db.prepare('DELETE FROM lti_nonces WHERE expires_at < ?').run(now.toISOString());
    const r = this.db
      .prepare(
        'INSERT INTO lti_nonces (issuer, nonce, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(issuer, nonce, expiresAt.toISOString());
    return Number(r.changes) === 1;
  }

  classOf(k: ContextKey): string | undefined {
    const row = this.db
      .prepare(
        'SELECT class_id AS id FROM lti_contexts WHERE issuer = ? AND deployment_id = ? AND context_id = ?',
      )
      .get(k.issuer, k.deploymentId, k.contextId) as { id: string } | undefined;
    return row?.id;
  }

  bindContext(k: ContextKey, classId: string, title: string | undefined): void {
    this.db
      .prepare(
        `INSERT INTO lti_contexts (issuer, deployment_id, context_id, class_id, title) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET title = coalesce(excluded.title, title)`,
      )
      .run(k.issuer, k.deploymentId, k.contextId, classId, title ?? null);
  }

  setMembershipsUrl(k: ContextKey, url: string): void {
    this.db
      .prepare(
        'UPDATE lti_contexts SET memberships_url = ? WHERE issuer = ? AND deployment_id = ? AND context_id = ?',
      )
      .run(url, k.issuer, k.deploymentId, k.contextId);
  }

  contextOfClass(classId: string): (ContextKey & { membershipsUrl: string | null }) | undefined {
    return this.db
      .prepare(
        `SELECT issuer, deployment_id AS deploymentId, context_id AS contextId, memberships_url AS membershipsUrl
         FROM lti_contexts WHERE class_id = ?`,
      )
      .get(classId) as (ContextKey & { membershipsUrl: string | null }) | undefined;
  }

  saveTarget(t: GradeTarget): void {
    this.db
      .prepare(
        `INSERT INTO lti_grade_targets (learner_id, lab_id, issuer, deployment_id, context_id, resource_link_id, user_id, lineitems_url, lineitem_url, scopes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET resource_link_id = excluded.resource_link_id, user_id = excluded.user_id,
           lineitems_url = excluded.lineitems_url, lineitem_url = excluded.lineitem_url, scopes = excluded.scopes`,
      )
      .run(
        t.learnerId,
        t.labId,
        t.issuer,
        t.deploymentId,
        t.contextId,
        t.resourceLinkId,
        t.userId,
        t.lineitemsUrl,
        t.lineitemUrl,
        JSON.stringify(t.scopes),
      );
  }

  targets(learnerId: string, labId?: string): GradeTarget[] {
    const rows = this.db
      .prepare(
        `SELECT learner_id AS learnerId, lab_id AS labId, issuer, deployment_id AS deploymentId, context_id AS contextId,
           resource_link_id AS resourceLinkId, user_id AS userId, lineitems_url AS lineitemsUrl,
           lineitem_url AS lineitemUrl, scopes
         FROM lti_grade_targets WHERE learner_id = ? AND (? IS NULL OR lab_id = ?)`,
      )
      .all(learnerId, labId ?? null, labId ?? null) as unknown as Array<
      Omit<GradeTarget, 'scopes'> & { scopes: string }
    >;
    return rows.map((r) => ({ ...r, scopes: JSON.parse(r.scopes) as string[] }));
  }

  /** The learner's target for a lab in one course. */
  target(s: ContextKey & { learnerId: string; labId: string }): GradeTarget | undefined {
    return this.targets(s.learnerId, s.labId).find(
      (t) =>
        t.issuer === s.issuer && t.deploymentId === s.deploymentId && t.contextId === s.contextId,
    );
  }
}
