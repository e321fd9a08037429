/**
 * The player's clock: a position on the play time line that moves at `speed` while playing.
 * The time source is injected, so it is pure and testable.
 */
export const SPEEDS = [0.5, 1, 2, 4, 8] as const;

export class PlaybackClock {
  private readonly now: () => number;
  private base = 0;
  /** Wall time (ms) when `base` was the position; undefined while paused. */
  private since: number | undefined;
  private rate = 1;
  readonly duration: number;

  constructor(duration: number, now: () => number = () => performance.now()) {
    this.duration = Math.max(0, duration);
    this.now = now;
  }

  get playing(): boolean {
    return this.since !== undefined;
  }

  get speed(): number {
    return this.rate;
  }

  /** Seconds of play time, within [0, duration]. */
  position(): number {
    const moved = this.since === undefined ? 0 : ((this.now() - this.since) / 1000) * this.rate;
    return Math.min(this.duration, Math.max(0, this.base + moved));
  }

  get ended(): boolean {
    return this.position() >= this.duration;
  }

  /** Starts moving; from the beginning when at the end. */
  play(): void {
    if (this.playing) return;
    if (this.ended) this.base = 0;
    this.since = this.now();
  }

  pause(): void {
    this.base = this.position();
    this.since = undefined;
  }

  seek(t: number): void {
    this.base = Math.min(this.duration, Math.max(0, t));
    if (this.since !== undefined) this.since = this.now();
  }

  setSpeed(speed: number): void {
    if (!(speed > 0)) return;
    this.base = this.position();
    if (this.since !== undefined) this.since = this.now();
    this.rate = speed;
  }

  /** Wall milliseconds until play time `t` is reached at the current speed (Infinity if paused). */
  msUntil(t: number): number {
    if (!this.playing) return Number.POSITIVE_INFINITY;
    return Math.max(0, ((t - this.position()) / this.rate) * 1000);
  }
}
