import type { ActivityEvent } from '../protocol/index.ts';

type Listener = (e: ActivityEvent) => void;

/**
 * One in-process bus for everything learners do. Publishers never wait for listeners, and a
 * listener that throws is dropped from that delivery, not from the bus.
 */
export class EventBus {
  private readonly listeners = new Set<Listener>();
  private readonly onListenerError: (err: unknown) => void;

  constructor(onListenerError: (err: unknown) => void = () => {}) {
    this.onListenerError = onListenerError;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  publish(e: ActivityEvent): void {
    for (const fn of this.listeners) {
      try {
        fn(e);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
