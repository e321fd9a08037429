import type { BlockList } from 'node:net';
import type { Logger } from '../errors/log.ts';
import type { Claimed, DeliveryStore } from './delivery-store.ts';
import { decideAfterAttempt, pauseReason, type RetryPolicy } from './retry-policy.ts';
import { type SendResult, sendWebhook } from './sender.ts';
import { webhookHeaders } from './signature.ts';
import type { SubscriptionStore } from './subscription-store.ts';

export interface WorkerSettings {
  timeoutMs: number;
  /** Attempts in flight at once per endpoint: a slow one holds only its own slots. */
  concurrency: number;
  policy: RetryPolicy;
  /** Internal ranges the operator lets instructors' endpoints reach. */
  allowed: BlockList;
  /** Events (and their deliveries) older than this are removed from the log. */
  retentionMs: number;
}

export interface WorkerDeps {
  deliveries: DeliveryStore;
  subscriptions: SubscriptionStore;
  logger: Logger;
  settings: WorkerSettings;
  random?: () => number;
}

/** The longest the worker sleeps without looking at the queue (a safety net, not the clock). */
const MAX_SLEEP_MS = 30_000;

/**
 * Sends what the queue holds. It wakes when an event is recorded, when a retry falls due and
 * when an attempt ends; it claims due deliveries endpoint by endpoint, at most `concurrency`
 * in flight per endpoint, so a dead endpoint ties up only its own slots and its requests end
 * at the timeout. Every outcome is stored before the next look at the queue.
 */
export class DeliveryWorker {
  private readonly deps: WorkerDeps;
  private readonly inFlight = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private pruner: NodeJS.Timeout | undefined;
  private woken = false;

  constructor(deps: WorkerDeps) {
    this.deps = deps;
  }

  start(): void {
    this.prune();
    this.pruner = setInterval(() => this.prune(), 3_600_000);
    this.pruner.unref();
    this.wake();
  }

  /** Looks at the queue soon (never within the caller's tick: recording stays cheap). */
  wake(): void {
    if (this.woken || this.stopping.signal.aborted) return;
    this.woken = true;
    setImmediate(() => {
      this.woken = false;
      try {
        this.tick();
      } catch (err) {
        this.deps.logger.error('webhook queue could not be read', err);
        this.sleep(MAX_SLEEP_MS);
      }
    });
  }

  /** Stops claiming, aborts attempts in flight (they stay due) and waits for them to end. */
  async close(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.timer);
    clearInterval(this.pruner);
    await Promise.allSettled([...this.running]);
  }

  private tick(): void {
    if (this.stopping.signal.aborted) return;
    const { deliveries, settings } = this.deps;
    const now = new Date();
    const lease = new Date(now.getTime() + settings.timeoutMs + 5_000);
    for (const endpoint of deliveries.dueEndpoints(now)) {
      const free = settings.concurrency - (this.inFlight.get(endpoint) ?? 0);
      for (const c of deliveries.claim(endpoint, now, free, lease)) this.launch(c);
    }
    const busy = [...this.inFlight].filter(([, n]) => n >= settings.concurrency).map(([id]) => id);
    const next = deliveries.nextDue(busy);
    this.sleep(next ? next.getTime() - Date.now() : MAX_SLEEP_MS);
  }

  private sleep(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopping.signal.aborted) return;
    this.timer = setTimeout(() => this.wake(), Math.min(MAX_SLEEP_MS, Math.max(0, ms)));
    this.timer.unref();
  }

  private launch(c: Claimed): void {
    const { settings } = this.deps;
    this.inFlight.set(c.subscriptionId, (this.inFlight.get(c.subscriptionId) ?? 0) + 1);
    const at = new Date();
    const attempt = sendWebhook(c.url, c.body, webhookHeaders(c.secret, c.eventId, c.body), {
      timeoutMs: settings.timeoutMs,
      signal: this.stopping.signal,
      // The operator's own endpoints may point anywhere; instructors' are kept outside.
      ...(c.classId !== null ? { guard: settings.allowed } : {}),
    })
      .then((result) => this.settle(c, at, result))
      .catch((err) => this.deps.logger.error('webhook attempt could not be stored', err))
      .finally(() => {
        const n = (this.inFlight.get(c.subscriptionId) ?? 1) - 1;
        if (n > 0) this.inFlight.set(c.subscriptionId, n);
        else this.inFlight.delete(c.subscriptionId);
        this.running.delete(attempt);
        this.wake();
      });
    this.running.add(attempt);
  }

  private settle(c: Claimed, at: Date, result: SendResult): void {
    const { deliveries, subscriptions, settings, logger } = this.deps;
    if (this.stopping.signal.aborted && result.status === undefined) {
      deliveries.release(c.id);
      return;
    }
    const random = this.deps.random ?? Math.random;
    const decision = decideAfterAttempt(c.attempt, result, settings.policy, random());
    const record = {
      at,
      durationMs: result.durationMs,
      status: result.status,
      error: result.error,
    };
    if (decision.kind === 'delivered') {
      deliveries.attempted(c.id, record, { status: 'delivered' });
      subscriptions.succeeded(c.subscriptionId);
      return;
    }
    deliveries.attempted(
      c.id,
      record,
      decision.kind === 'retry'
        ? { status: 'pending', at: new Date(Date.now() + decision.delayMs) }
        : { status: 'failed' },
    );
    const reason = pauseReason(subscriptions.failed(c.subscriptionId), result, settings.policy);
    if (reason) {
      subscriptions.pause(c.subscriptionId, reason);
      logger.warn('webhook endpoint paused', { subscription: c.subscriptionId, reason });
    }
  }

  private prune(): void {
    try {
      const n = this.deps.deliveries.prune(new Date(Date.now() - this.deps.settings.retentionMs));
      if (n > 0) this.deps.logger.info('old webhook events removed', { count: n });
    } catch (err) {
      this.deps.logger.error('webhook log could not be pruned', err);
    }
  }
}
