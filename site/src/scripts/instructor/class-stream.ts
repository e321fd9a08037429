/**
 * The live class view's connection: the runner's server-sent events (`snapshot`, `row`), with
 * the browser's own reconnecting, a watchdog for a stream that went quiet, and a plain reason
 * when it cannot go on (logged out, no such class, runner gone).
 */
import { type ApiFailure, api, asFailure, paths } from './api.ts';
import type { ClassView, RowUpdate } from './types.ts';

/** `offline`: the runner does not answer at all; the stream keeps trying. */
export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface StreamHandlers {
  snapshot(view: ClassView): void;
  row(update: RowUpdate): void;
  state(s: StreamState): void;
  /** The stream cannot continue; the page says why. */
  failed(err: ApiFailure): void;
}

/** Snapshots come every 10 s; this long without one means the stream is stuck. */
const QUIET_MS = 25_000;

export class ClassStream {
  private readonly classId: string;
  private readonly on: StreamHandlers;
  private source: EventSource | undefined;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private reopenTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private diagnosing = false;
  private current: StreamState | undefined;

  constructor(classId: string, handlers: StreamHandlers) {
    this.classId = classId;
    this.on = handlers;
  }

  open(): void {
    this.closed = false;
    this.source?.close();
    clearTimeout(this.reopenTimer);
    if (this.current === undefined) this.setState('connecting');
    const es = new EventSource(paths.stream(this.classId), { withCredentials: true });
    this.source = es;
    es.addEventListener('open', () => {
      if (this.source === es) this.setState('live');
    });
    es.addEventListener('snapshot', (e) => {
      if (this.source !== es) return;
      this.alive();
      const view = this.parse<ClassView>(e);
      if (view) this.on.snapshot(view);
    });
    es.addEventListener('row', (e) => {
      if (this.source !== es) return;
      this.alive();
      const update = this.parse<RowUpdate>(e);
      if (update?.row) this.on.row(update);
    });
    es.addEventListener('error', () => {
      if (this.source !== es || this.closed) return;
      clearTimeout(this.watchdog);
      if (this.current !== 'offline') this.setState('reconnecting');
      void this.diagnose(es);
    });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.watchdog);
    clearTimeout(this.reopenTimer);
    this.source?.close();
    this.source = undefined;
  }

  private setState(s: StreamState): void {
    if (s === this.current) return;
    this.current = s;
    this.on.state(s);
  }

  private parse<T>(e: Event): T | undefined {
    try {
      return JSON.parse((e as MessageEvent<string>).data) as T;
    } catch {
      return undefined;
    }
  }

  private alive(): void {
    this.setState('live');
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      // Quiet for too long (a proxy holding the stream, a suspended laptop): start over.
      if (!this.closed) this.open();
    }, QUIET_MS);
  }

  /**
   * The stream broke. The browser retries by itself after a network error, and gives up for
   * good on any answer but a 200 event stream; either way, ask the JSON API what is wrong:
   * that one answers with a reason.
   */
  private async diagnose(es: EventSource): Promise<void> {
    if (this.diagnosing) return;
    this.diagnosing = true;
    try {
      await api<ClassView>(paths.class(this.classId));
      // The class is fine, so the stream broke on the way: open it again if the browser won't.
      if (!this.closed && es.readyState === EventSource.CLOSED)
        this.reopenTimer = setTimeout(() => this.open(), 1000);
    } catch (err) {
      const f = asFailure(err);
      if (this.closed) return;
      if (f.kind === 'offline') {
        // The runner is restarting or gone: keep trying; the page shows its data is stale.
        this.setState('offline');
        if (es.readyState === EventSource.CLOSED)
          this.reopenTimer = setTimeout(() => this.open(), 3000);
      } else {
        this.close();
        this.on.failed(f);
      }
    } finally {
      this.diagnosing = false;
    }
  }
}
