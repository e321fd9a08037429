import { labsFor } from '../classes/class-labs.ts';
import type { ClassInfo, ClassStore } from '../classes/class-store.ts';
import type { Logger } from '../errors/log.ts';
import { type ClassViewDeps, learnerRow } from '../http/class-view.ts';
import type { WebhookOutbox } from './outbox.ts';
import type { SubscriptionStore } from './subscription-store.ts';

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

export interface StuckWatchDeps {
  classes: ClassStore;
  subscriptions: SubscriptionStore;
  outbox: Pick<WebhookOutbox, 'emit'>;
  /** What the class view is built from: the same rows, so the same stuck rule. */
  view: ClassViewDeps;
  logger: Logger;
}

/**
 * `learner.stuck`: the class view's own verdict (classes/stuck.ts, through `learnerRow`), read
 * every sweep for the classes that have an endpoint for it. Time alone can make a learner
 * stuck, so this is a sweep, not a bus listener. An episode is a learner on one task since
 * their last progress: its key is recorded with the event, so it is sent once however many
 * sweeps (or restarts) see it, and again only after progress and a new stall.
 */
export class StuckWatch {
  private readonly deps: StuckWatchDeps;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(deps: StuckWatchDeps) {
    this.deps = deps;
  }

  /**
   * Returns the events queued. It gives the event loop back after every class and every few
   * members, so a large course never holds up learners' traffic for a whole sweep.
   */
  async sweep(now = Date.now()): Promise<number> {
    const { classes, subscriptions, view } = this.deps;
    const wanting = subscriptions.classesWanting('learner.stuck');
    const targets: ClassInfo[] = wanting.all
      ? classes.all()
      : wanting.classIds.flatMap((id) => classes.byId(id) ?? []);
    let queued = 0;
    for (const c of targets) {
      await yieldToLoop();
      const labs = labsFor(c.modules, view.outline());
      for (const [i, m] of classes.members(c.id).entries()) {
        if (i > 0 && i % 10 === 0) await yieldToLoop();
        const row = learnerRow(view, labs, m, now);
        if (!row.stuck || !row.current) continue;
        const { labId, taskId, since } = row.current;
        const lab = labs.find((l) => l.id === labId);
        const task = lab?.tasks.find((t) => t.id === taskId);
        if (!lab || !task) continue;
        const n = this.deps.outbox.emit(
          c,
          { id: m.learnerId, displayName: m.displayName },
          {
            type: 'learner.stuck',
            lab: { id: lab.id, title: lab.title },
            task,
            why: row.stuck.why,
            reason: row.stuck.reason,
            since,
          },
          new Date(now).toISOString(),
          `learner.stuck/${c.id}/${m.learnerId}/${labId}/${taskId}/${since}`,
        );
        if (n > 0) queued++;
      }
    }
    return queued;
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      // A slow sweep is never overlapped by the next one.
      this.running ??= this.sweep()
        .catch((err) => this.deps.logger.error('stuck sweep for webhooks failed', err))
        .finally(() => {
          this.running = undefined;
        });
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the sweeps and waits for one under way (it reads the database). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
