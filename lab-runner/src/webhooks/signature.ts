import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com), symmetric scheme: the
 * secret is `whsec_` and base64 of random bytes; the signature is HMAC-SHA256 of
 * `${id}.${timestamp}.${body}` under the decoded bytes, sent as `v1,<base64>` in the
 * `webhook-signature` header beside `webhook-id` and `webhook-timestamp` (Unix seconds).
 * node:crypto does the HMAC; this file only lays out the bytes as the specification says.
 */

/** A new endpoint secret: 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

function digest(secret: string, id: string, timestamp: number, body: string): Buffer {
  return createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest();
}

/** The `webhook-signature` value for one attempt. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${digest(secret, id, timestamp, body).toString('base64')}`;
}

/** The three headers of one attempt; the timestamp is the attempt's, not the event's. */
export function webhookHeaders(
  secret: string,
  id: string,
  body: string,
  now = Date.now(),
): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, id, timestamp, body),
  };
}

export type Verification = { ok: true } | { ok: false; why: string };

/**
 * What a receiver does: recompute the HMAC over the raw body (never a re-serialised parse of
 * it), compare in constant time with each `v1` entry of the header (several during a key
 * rotation), and refuse a timestamp more than `toleranceS` away from now (a replay).
 */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  now = Date.now(),
  toleranceS = 300,
): Verification {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const id = one('webhook-id');
  const ts = one('webhook-timestamp');
  const sigs = one('webhook-signature');
  if (!id || !ts || !sigs) return { ok: false, why: 'a webhook header is missing' };
  if (!/^\d+$/.test(ts)) return { ok: false, why: 'the timestamp is not a number' };
  if (Math.abs(now / 1000 - Number(ts)) > toleranceS)
    return { ok: false, why: 'the timestamp is too far from now' };
  const expected = digest(secret, id, Number(ts), body);
  for (const entry of sigs.split(' ')) {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, why: 'no signature matches' };
}
