import { afterEach, describe, expect, it } from 'vitest';
import { sendWebhook } from './sender.ts';
import { type Receiver, startReceiver } from './test-receiver.ts';
import { parseAllowedNetworks } from './url-policy.ts';

let r: Receiver | undefined;
afterEach(async () => r?.close());

const never = new AbortController().signal;
const body = '{"type":"task.passed"}';

describe('one webhook attempt', () => {
  it('checks the addresses a name resolves to when it connects, not only when registered', async () => {
    r = await startReceiver();
    // `localhost` comes from /etc/hosts: no DNS query leaves the machine.
    const byName = r.url.replace('127.0.0.1', 'localhost');
    const refused = await sendWebhook(
      byName,
      body,
      {},
      {
        timeoutMs: 5_000,
        signal: never,
        guard: parseAllowedNetworks(''),
      },
    );
    expect(refused.error).toMatch(/^not sent: it leads to 127\.0\.0\.1, an address inside/);
    expect(r.received).toHaveLength(0);
    const allowed = await sendWebhook(
      byName,
      body,
      { 'webhook-id': 'evt_x' },
      {
        timeoutMs: 5_000,
        signal: never,
        guard: parseAllowedNetworks('127.0.0.0/8'),
      },
    );
    expect(allowed).toMatchObject({ status: 204 });
    expect(r.received[0]).toMatchObject({ body });
    expect(r.received[0]!.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': 'evt_x',
    });
  });

  it('ends at the timeout when the endpoint never answers', async () => {
    r = await startReceiver(() => 'hang');
    const t = performance.now();
    const result = await sendWebhook(r.url, body, {}, { timeoutMs: 300, signal: never });
    expect(result).toMatchObject({ error: 'no answer within 0.3 s' });
    expect(result.status).toBeUndefined();
    expect(performance.now() - t).toBeLessThan(5_000);
  });

  it('does not follow a redirect', async () => {
    r = await startReceiver(() => 302);
    expect(await sendWebhook(r.url, body, {}, { timeoutMs: 5_000, signal: never })).toMatchObject({
      status: 302,
      error: 'HTTP 302: answer 302',
    });
    expect(r.received).toHaveLength(1);
  });
});
