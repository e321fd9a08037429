import { PROTOCOL_VERSION, type ServerMessage } from '../protocol/index.ts';
import type { IdleClock, IdleDecision } from './idle-policy.ts';

type IdleMessage = Extract<ServerMessage, { type: 'idle' }>;

/**
 * The idle clock of one ready sandbox and the warning its pages were last sent. The culler
 * reads it and decides (see idle-policy.ts); this only keeps time and tells pages of changes.
 */
export class ActivityClock {
  private readyAt = 0;
  private lastAt = 0;
  private warning: IdleMessage | undefined;
  private readonly send: (msg: ServerMessage) => void;

  constructor(send: (msg: ServerMessage) => void) {
    this.send = send;
  }

  /** A sandbox became ready: it is new, so its clock starts now. */
  start(now = Date.now()): void {
    this.readyAt = now;
    this.lastAt = now;
    this.warning = undefined;
  }

  stop(): void {
    this.readyAt = 0;
    this.lastAt = 0;
    this.warning = undefined;
  }

  read(now = Date.now()): IdleClock {
    return { now, readyAt: this.readyAt, lastActivityAt: this.lastAt };
  }

  /** Something happened: the idle clock starts again and an idle warning is withdrawn. */
  active(at = Date.now()): void {
    this.lastAt = Math.max(this.lastAt, at);
    if (this.warning?.reason === 'idle') this.warn({ action: 'keep' });
  }

  /** Tells open pages about a coming stop, or that it is off; only changes are sent. */
  warn(d: IdleDecision): void {
    const before = this.warning;
    if (d.action !== 'warn') {
      if (!before) return;
      this.warning = undefined;
      this.send({ ...before, stopAt: null, message: '' });
      return;
    }
    const stopAt = new Date(d.stopAt).toISOString();
    if (before?.stopAt === stopAt) return;
    const message =
      d.reason === 'idle'
        ? 'Nothing has happened in your sandbox for a while, so it will be stopped soon. Your completed tasks are kept.'
        : 'Your sandbox reaches its time limit soon and will be stopped. Your completed tasks are kept.';
    this.warning = { v: PROTOCOL_VERSION, type: 'idle', reason: d.reason, stopAt, message };
    this.send(this.warning);
  }

  /** The warning a newly connected page should show, if any. */
  current(): ServerMessage | undefined {
    return this.warning;
  }
}
