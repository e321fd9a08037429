import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.ts';

describe('TokenBucket', () => {
  it('allows a burst, then the steady rate', () => {
    const b = new TokenBucket(10, 3, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    expect(b.take(50)).toBe(false); // half a token
    expect(b.take(100)).toBe(true); // one token after 100 ms at 10/s
    expect(b.take(10_000)).toBe(true);
    expect([b.take(10_000), b.take(10_000), b.take(10_000)]).toEqual([true, true, false]);
  });
});

describe('TokenBucket.waitMs', () => {
  it('says how long until the next token, without taking one', () => {
    const b = new TokenBucket(200, 2, 0);
    expect(b.waitMs(0)).toBe(0);
    b.take(0);
    b.take(0);
    expect(b.waitMs(0)).toBe(5); // one token per 5 ms at 200/s
    expect(b.waitMs(3)).toBe(2);
    expect(b.waitMs(5)).toBe(0);
    expect(b.take(5)).toBe(true);
  });
});
