import { PROTOCOL_VERSION, type ServerMessage } from '../protocol/index.ts';
import type { LimitNotice } from './limit-policy.ts';

type Listener = (msg: ServerMessage) => void;

/**
 * The pages open on one lab session: who hears its messages, and the limits notice a page
 * opened later should see first. Knows nothing of sandboxes.
 */
export class SessionPages {
  private readonly listeners = new Set<Listener>();
  private limits: LimitNotice[] = [];
  private readonly changed: (count: number) => void;

  /** `changed` hears the number of open pages after each subscribe and unsubscribe. */
  constructor(changed: (count: number) => void) {
    this.changed = changed;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    this.changed(this.listeners.size);
    return () => {
      this.listeners.delete(fn);
      this.changed(this.listeners.size);
    };
  }

  get count(): number {
    return this.listeners.size;
  }

  broadcast(msg: ServerMessage): void {
    for (const fn of this.listeners) fn(msg);
  }

  /** Limits the sandbox is at, for its open pages (and pages opened later). */
  reportLimits(limits: LimitNotice[]): void {
    if (limits.length === 0 && this.limits.length === 0) return;
    this.limits = limits;
    this.broadcast(this.limitsMessage());
  }

  limitsMessage(): ServerMessage {
    return { v: PROTOCOL_VERSION, type: 'limits', limits: this.limits };
  }
}
