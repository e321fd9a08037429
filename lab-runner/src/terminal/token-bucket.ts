/**
 * Rate limiting as a token bucket: `ratePerSecond` tokens refill continuously up to `burst`;
 * each message takes one. Pure apart from the clock it is given.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly rate: number;
  private readonly burst: number;

  constructor(ratePerSecond: number, burst: number, now: number) {
    this.rate = ratePerSecond;
    this.burst = burst;
    this.tokens = burst;
    this.last = now;
  }

  take(now: number, n = 1): boolean {
    this.refill(now);
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Milliseconds until `n` tokens are there (0: now). */
  waitMs(now: number, n = 1): number {
    this.refill(now);
    return this.tokens >= n ? 0 : Math.ceil(((n - this.tokens) / this.rate) * 1000);
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }
}
