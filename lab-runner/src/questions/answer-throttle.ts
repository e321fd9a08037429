import { TokenBucket } from '../terminal/token-bucket.ts';

/**
 * Answers a learner may send: plenty for someone thinking (a burst of 10, then one every
 * 2 s), not for a script trying every option of every question in a loop.
 */
export const ANSWER_RATE = { perSecond: 0.5, burst: 10 };
const MAX_LEARNERS = 10_000;

/** One token bucket per learner; a learner's answers cannot slow anyone else's. */
export class AnswerThrottle {
  private readonly buckets = new Map<string, TokenBucket>();

  /** 0 when the answer may go ahead, otherwise how many ms to wait. */
  waitMs(learnerId: string, now = Date.now()): number {
    let bucket = this.buckets.get(learnerId);
    if (!bucket) {
      // Full buckets hold nothing worth keeping: dropping them all bounds the memory.
      if (this.buckets.size >= MAX_LEARNERS) this.buckets.clear();
      bucket = new TokenBucket(ANSWER_RATE.perSecond, ANSWER_RATE.burst, now);
      this.buckets.set(learnerId, bucket);
    }
    if (bucket.take(now)) return 0;
    return Math.max(1, bucket.waitMs(now));
  }
}
