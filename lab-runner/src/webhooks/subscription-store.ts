import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { OperatorWebhook, WebhookEventType } from '../protocol/index.ts';
import { newWebhookSecret } from './signature.ts';

/** An endpoint as the instructor's routes list it: never its secret. */
export interface Subscription {
  id: string;
  /** null: the operator's, from SLIPWAY_WEBHOOKS. */
  classId: string | null;
  url: string;
  events: WebhookEventType[];
  createdAt: string;
  /** Failed attempts in a row. */
  failures: number;
  paused: { at: string; reason: string } | null;
}

type Row = {
  id: string;
  classId: string | null;
  url: string;
  events: string;
  createdAt: string;
  failures: number;
  pausedAt: string | null;
  pauseReason: string | null;
};
const toSubscription = (r: Row): Subscription => ({
  id: r.id,
  classId: r.classId,
  url: r.url,
  events: JSON.parse(r.events) as WebhookEventType[],
  createdAt: r.createdAt,
  failures: r.failures,
  paused: r.pausedAt ? { at: r.pausedAt, reason: r.pauseReason ?? '' } : null,
});
const SELECT =
  'SELECT id, class_id AS classId, url, events, created_at AS createdAt, failures, paused_at AS pausedAt, pause_reason AS pauseReason FROM webhook_subscriptions';

/** The operator's endpoint ids follow their URL, so a restart finds the same rows. */
export const operatorSubscriptionId = (url: string) =>
  `op_${createHash('sha256').update(url).digest('hex').slice(0, 16)}`;

/** Webhook endpoints in SQLite (migration 8): a class's, and the operator's. */
export class SubscriptionStore {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /** A class's new endpoint and its secret, which is shown this once. */
  create(
    classId: string,
    url: string,
    events: WebhookEventType[],
    now = new Date(),
  ): { subscription: Subscription; secret: string } {
    const id = `wh_${randomBytes(12).toString('base64url')}`;
    const secret = newWebhookSecret();
    this.db
      .prepare(
        'INSERT INTO webhook_subscriptions (id, class_id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(id, classId, url, JSON.stringify(events), secret, now.toISOString());
    return { subscription: this.get(id)!, secret };
  }

  get(id: string): Subscription | undefined {
    const r = this.db.prepare(`${SELECT} WHERE id = ?`).get(id) as Row | undefined;
    return r && toSubscription(r);
  }

  /** A class's own endpoint (an operator's or another class's is not found). */
  ofClass(classId: string, id: string): Subscription | undefined {
    const r = this.db.prepare(`${SELECT} WHERE id = ? AND class_id = ?`).get(id, classId) as
      | Row
      | undefined;
    return r && toSubscription(r);
  }

  forClass(classId: string): Subscription[] {
    return (
      this.db
        .prepare(`${SELECT} WHERE class_id = ? ORDER BY created_at`)
        .all(classId) as unknown as Row[]
    ).map(toSubscription);
  }

  /** Removes a class's endpoint with its delivery log; false when it was not the class's. */
  delete(classId: string, id: string): boolean {
    const r = this.db
      .prepare('DELETE FROM webhook_subscriptions WHERE id = ? AND class_id = ?')
      .run(id, classId);
    return Number(r.changes) > 0;
  }

  /** Whether any endpoint, paused or not, wants this class's events of this type. */
  wanted(classId: string, type: WebhookEventType): boolean {
    return (
      this.db
        .prepare(
          'SELECT 1 FROM webhook_subscriptions WHERE (class_id = ? OR class_id IS NULL) AND EXISTS (SELECT 1 FROM json_each(events) WHERE value = ?) LIMIT 1',
        )
        .get(classId, type) !== undefined
    );
  }

  /** Class ids with an endpoint for this type; every class when an operator's wants it. */
  classesWanting(type: WebhookEventType): { all: boolean; classIds: string[] } {
    const rows = this.db
      .prepare(
        'SELECT DISTINCT class_id AS classId FROM webhook_subscriptions WHERE EXISTS (SELECT 1 FROM json_each(events) WHERE value = ?)',
      )
      .all(type) as Array<{ classId: string | null }>;
    return {
      all: rows.some((r) => r.classId === null),
      classIds: rows.flatMap((r) => (r.classId ? [r.classId] : [])),
    };
  }

  /** After a successful attempt: the count of failures in a row starts again. */
  succeeded(id: string): void {
    this.db.prepare('UPDATE webhook_subscriptions SET failures = 0 WHERE id = ?').run(id);
  }

  /** After a failed attempt; returns the failures in a row. */
  failed(id: string): number {
    const r = this.db
      .prepare(
        'UPDATE webhook_subscriptions SET failures = failures + 1 WHERE id = ? RETURNING failures',
      )
      .get(id) as { failures: number } | undefined;
    return r?.failures ?? 0;
  }

  pause(id: string, reason: string, now = new Date()): void {
    this.db
      .prepare(
        'UPDATE webhook_subscriptions SET paused_at = ?, pause_reason = ? WHERE id = ? AND paused_at IS NULL',
      )
      .run(now.toISOString(), reason, id);
  }

  /** Sends again: the failure count is cleared and the deliveries held meanwhile are due now. */
  resume(id: string, now = new Date()): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.db
        .prepare(
          'UPDATE webhook_subscriptions SET paused_at = NULL, pause_reason = NULL, failures = 0 WHERE id = ?',
        )
        .run(id);
      this.db
        .prepare(
          "UPDATE webhook_deliveries SET next_attempt_at = ? WHERE subscription_id = ? AND status = 'pending'",
        )
        .run(now.toISOString(), id);
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /**
   * Makes the operator's endpoints what SLIPWAY_WEBHOOKS says: new ones added, changed ones
   * updated, dropped ones removed with their log. Every one starts unpaused: a restart is
   * how the operator resumes an endpoint that was paused.
   */
  syncOperator(hooks: readonly OperatorWebhook[], now = new Date()): void {
    const ids = hooks.map((h) => operatorSubscriptionId(h.url));
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.db
        .prepare(
          'DELETE FROM webhook_subscriptions WHERE class_id IS NULL AND id NOT IN (SELECT value FROM json_each(?))',
        )
        .run(JSON.stringify(ids));
      const upsert = this.db.prepare(
        `INSERT INTO webhook_subscriptions (id, class_id, url, events, secret, created_at) VALUES (?, NULL, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET url = excluded.url, events = excluded.events, secret = excluded.secret,
           failures = 0, paused_at = NULL, pause_reason = NULL`,
      );
      hooks.forEach((h, i) => {
        upsert.run(ids[i]!, h.url, JSON.stringify(h.events), h.secret, now.toISOString());
      });
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }
}
