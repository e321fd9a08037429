import type { DatabaseSync } from 'node:sqlite';
import type { WebhookEventType } from '../protocol/index.ts';

/** One event, as recorded: the body is what every attempt sends and signs. */
export interface RecordedEvent {
  id: string;
  type: WebhookEventType;
  classId: string;
  /** Events that must happen once carry a key; a second event with it is not recorded. */
  dedupeKey?: string;
  body: string;
  occurredAt: string;
}

/** A delivery claimed for an attempt. */
export interface Claimed {
  id: number;
  eventId: string;
  body: string;
  subscriptionId: string;
  /** The endpoint's class; null for the operator's. */
  classId: string | null;
  url: string;
  secret: string;
  /** The attempt about to be made, counted within its round (1 for the first). */
  attempt: number;
}

export interface AttemptRecord {
  at: Date;
  status?: number;
  error?: string;
  durationMs: number;
}

export interface LoggedDelivery {
  id: number;
  subscriptionId: string;
  url: string;
  eventId: string;
  type: string;
  occurredAt: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  responseCode: number | null;
  lastError: string | null;
  log: Array<{ at: string; responseCode: number | null; error: string | null; durationMs: number }>;
}

function inTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const out = fn();
    db.exec('COMMIT');
    return out;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

/**
 * The delivery queue in SQLite (migration 8). Recording an event inserts its rows and
 * nothing else: sending is the worker's, so a slow or dead endpoint never reaches the caller.
 */
export class DeliveryStore {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /**
   * Records an event and a pending delivery for each endpoint that wants it (the class's and
   * the operator's), atomically. Returns how many deliveries were queued; 0 for a duplicate.
   */
  record(e: RecordedEvent, now = new Date()): number {
    return inTransaction(this.db, () => {
      const inserted = this.db
        .prepare(
          'INSERT INTO webhook_events (id, type, class_id, dedupe_key, body, occurred_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING',
        )
        .run(e.id, e.type, e.classId, e.dedupeKey ?? null, e.body, e.occurredAt);
      if (Number(inserted.changes) === 0) return 0;
      const at = now.toISOString();
      const queued = this.db
        .prepare(
          `INSERT INTO webhook_deliveries (event_id, subscription_id, status, next_attempt_at, created_at)
           SELECT ?, id, 'pending', ?, ? FROM webhook_subscriptions
           WHERE (class_id = ? OR class_id IS NULL) AND EXISTS (SELECT 1 FROM json_each(events) WHERE value = ?)`,
        )
        .run(e.id, at, at, e.classId, e.type);
      return Number(queued.changes);
    });
  }

  /** Endpoints (not paused) with deliveries due by `now`. */
  dueEndpoints(now: Date): string[] {
    return (
      this.db
        .prepare(
          `SELECT DISTINCT d.subscription_id AS id FROM webhook_deliveries d
           JOIN webhook_subscriptions s ON s.id = d.subscription_id
           WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND s.paused_at IS NULL`,
        )
        .all(now.toISOString()) as Array<{ id: string }>
    ).map((r) => r.id);
  }

  /**
   * Claims up to `limit` of an endpoint's due deliveries, oldest first, by moving each one's
   * due time to `leaseUntil` (past the request's timeout): a runner that dies mid-request
   * finds it due again when it comes back.
   */
  claim(subscriptionId: string, now: Date, limit: number, leaseUntil: Date): Claimed[] {
    if (limit <= 0) return [];
    return inTransaction(this.db, () => {
      const rows = this.db
        .prepare(
          `SELECT d.id, d.event_id AS eventId, e.body, d.subscription_id AS subscriptionId, s.class_id AS classId,
             s.url, s.secret, d.attempts - d.round_start + 1 AS attempt
           FROM webhook_deliveries d
           JOIN webhook_events e ON e.id = d.event_id
           JOIN webhook_subscriptions s ON s.id = d.subscription_id
           WHERE d.subscription_id = ? AND d.status = 'pending' AND d.next_attempt_at <= ? AND s.paused_at IS NULL
           ORDER BY d.next_attempt_at, d.id LIMIT ?`,
        )
        .all(subscriptionId, now.toISOString(), limit) as unknown as Claimed[];
      const lease = this.db.prepare(
        'UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?',
      );
      for (const r of rows) lease.run(leaseUntil.toISOString(), r.id);
      return rows;
    });
  }

  /**
   * When the next pending delivery falls due, of an endpoint neither paused nor in `busy`
   * (endpoints with every slot taken: the end of an attempt wakes the worker for those).
   */
  nextDue(busy: readonly string[] = []): Date | undefined {
    const r = this.db
      .prepare(
        `SELECT MIN(d.next_attempt_at) AS at FROM webhook_deliveries d
         JOIN webhook_subscriptions s ON s.id = d.subscription_id
         WHERE d.status = 'pending' AND s.paused_at IS NULL
           AND d.subscription_id NOT IN (SELECT value FROM json_each(?))`,
      )
      .get(JSON.stringify(busy)) as { at: string | null };
    return r.at ? new Date(r.at) : undefined;
  }

  /** Stores one attempt and where the delivery stands after it. */
  attempted(
    id: number,
    a: AttemptRecord,
    next: { status: 'pending'; at: Date } | { status: 'delivered' | 'failed' },
  ): void {
    inTransaction(this.db, () => {
      this.db
        .prepare(
          'INSERT INTO webhook_attempts (delivery_id, at, response_code, error, duration_ms) VALUES (?, ?, ?, ?, ?)',
        )
        .run(id, a.at.toISOString(), a.status ?? null, a.error ?? null, Math.round(a.durationMs));
      this.db
        .prepare(
          `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = ?, response_code = ?,
             last_error = ?, status = ?, next_attempt_at = ? WHERE id = ?`,
        )
        .run(
          a.at.toISOString(),
          a.status ?? null,
          a.error ?? null,
          next.status,
          next.status === 'pending' ? next.at.toISOString() : null,
          id,
        );
    });
  }

  /** Gives a claimed delivery back, due now, without counting an attempt (the runner is stopping). */
  release(id: number, now = new Date()): void {
    this.db
      .prepare(
        "UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending'",
      )
      .run(now.toISOString(), id);
  }

  /**
   * Sends a delivery of this class's endpoint again, with a new round of retries; false when
   * the class has no such delivery.
   */
  redeliver(classId: string, id: number, now = new Date()): boolean {
    const r = this.db
      .prepare(
        `UPDATE webhook_deliveries SET status = 'pending', round_start = attempts, next_attempt_at = ?
         WHERE id = ? AND subscription_id IN (SELECT id FROM webhook_subscriptions WHERE class_id = ?)`,
      )
      .run(now.toISOString(), id, classId);
    return Number(r.changes) > 0;
  }

  /** The subscription a class's delivery belongs to. */
  subscriptionOf(classId: string, id: number): string | undefined {
    const r = this.db
      .prepare(
        `SELECT d.subscription_id AS id FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
         WHERE d.id = ? AND s.class_id = ?`,
      )
      .get(id, classId) as { id: string } | undefined;
    return r?.id;
  }

  /** The delivery log of a class's endpoints, newest first, each with its attempts. */
  recent(classId: string, limit = 50): LoggedDelivery[] {
    const rows = this.db
      .prepare(
        `SELECT d.id, d.subscription_id AS subscriptionId, s.url, e.id AS eventId, e.type, e.occurred_at AS occurredAt,
           d.status, d.attempts, d.next_attempt_at AS nextAttemptAt, d.last_attempt_at AS lastAttemptAt,
           d.response_code AS responseCode, d.last_error AS lastError
         FROM webhook_deliveries d
         JOIN webhook_subscriptions s ON s.id = d.subscription_id
         JOIN webhook_events e ON e.id = d.event_id
         WHERE s.class_id = ? ORDER BY d.id DESC LIMIT ?`,
      )
      .all(classId, limit) as unknown as Array<Omit<LoggedDelivery, 'log'>>;
    const attempts = this.db.prepare(
      'SELECT at, response_code AS responseCode, error, duration_ms AS durationMs FROM webhook_attempts WHERE delivery_id = ? ORDER BY id',
    );
    return rows.map((r) => ({
      ...r,
      log: attempts.all(r.id) as unknown as LoggedDelivery['log'],
    }));
  }

  /** Removes events older than `before`, with their deliveries and attempts. */
  prune(before: Date): number {
    const r = this.db
      .prepare('DELETE FROM webhook_events WHERE occurred_at < ?')
      .run(before.toISOString());
    return Number(r.changes);
  }
}
