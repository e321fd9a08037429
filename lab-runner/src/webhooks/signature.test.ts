import { describe, expect, it } from 'vitest';
import { webhookSecretSchema } from '../protocol/index.ts';
import { newWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from './signature.ts';

/**
 * The test vector of the Standard Webhooks reference libraries (the `sign` test of
 * standard-webhooks/libraries/javascript): transcribed, not computed by the code under test.
 */
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const vectorHeaders = {
  'webhook-id': VECTOR.id,
  'webhook-timestamp': String(VECTOR.timestamp),
  'webhook-signature': VECTOR.signature,
};
const atVector = VECTOR.timestamp * 1000;

describe('Standard Webhooks signatures', () => {
  it('match the specification’s test vector', () => {
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(
      VECTOR.signature,
    );
    expect(webhookHeaders(VECTOR.secret, VECTOR.id, VECTOR.body, atVector + 999)).toEqual(
      vectorHeaders,
    );
  });

  it('verify the vector, and one valid entry among several (a key rotation)', () => {
    expect(verifyWebhook(VECTOR.secret, vectorHeaders, VECTOR.body, atVector)).toEqual({
      ok: true,
    });
    const rotated = {
      ...vectorHeaders,
      'webhook-signature': `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v1a,xyz ${VECTOR.signature}`,
    };
    expect(verifyWebhook(VECTOR.secret, rotated, VECTOR.body, atVector).ok).toBe(true);
  });

  it('refuse a changed body, another secret, a cut signature, a missing header, an old timestamp', () => {
    const no = (h: Record<string, string>, body = VECTOR.body, now = atVector, s = VECTOR.secret) =>
      verifyWebhook(s, h, body, now);
    expect(no(vectorHeaders, '{"test": 2432232315}')).toEqual({
      ok: false,
      why: 'no signature matches',
    });
    expect(no(vectorHeaders, VECTOR.body, atVector, newWebhookSecret()).ok).toBe(false);
    expect(no({ ...vectorHeaders, 'webhook-signature': VECTOR.signature.slice(0, 10) }).ok).toBe(
      false,
    );
    expect(no({ ...vectorHeaders, 'webhook-signature': 'v1,' }).ok).toBe(false);
    const { 'webhook-id': _, ...noId } = vectorHeaders;
    expect(no(noId)).toEqual({ ok: false, why: 'a webhook header is missing' });
    expect(no(vectorHeaders, VECTOR.body, atVector + 301_000)).toEqual({
      ok: false,
      why: 'the timestamp is too far from now',
    });
    expect(no(vectorHeaders, VECTOR.body, atVector - 301_000).ok).toBe(false);
  });

  it('makes secrets of the standard’s form, each new', () => {
    const a = newWebhookSecret();
    expect(webhookSecretSchema.safeParse(a).success).toBe(true);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(a).not.toBe(newWebhookSecret());
    expect(webhookSecretSchema.safeParse('whsec_c2hvcnQ=').success).toBe(false);
    expect(webhookSecretSchema.safeParse('not-a-secret').success).toBe(false);
  });
});
