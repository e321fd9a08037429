import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { BlockList, LookupFunction } from 'node:net';
import { parseRetryAfter } from './retry-policy.ts';
import { addressProblem, internalRanges, literalAddress } from './url-policy.ts';

export interface SendResult {
  status?: number;
  retryAfterMs?: number;
  /** Why no 2xx came, in words for the delivery log. */
  error?: string;
  durationMs: number;
}

export interface SendOptions {
  timeoutMs: number;
  /** Aborted when the runner stops; the attempt then does not count. */
  signal: AbortSignal;
  /** Set for instructors' endpoints: refuse the platform's own networks but these. */
  guard?: BlockList;
}

class RefusedAddress extends Error {
  readonly code = 'EWEBHOOKADDRESS';
}

/**
 * A DNS lookup that refuses a name resolving to an internal address, used for the connection
 * itself: what was checked is what is connected to, even if the name's answer changed since
 * the webhook was registered.
 */
export function guardedLookup(allowed: BlockList): LookupFunction {
  const internal = internalRanges();
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      for (const a of addresses) {
        const problem = addressProblem(a.address, allowed, internal);
        if (problem) return callback(new RefusedAddress(problem), '', 0);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

const clean = (s: string) => s.replace(/[^\x20-\x7e]+/g, ' ').trim();

function explain(err: NodeJS.ErrnoException, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs / 1000} s`;
  if (err instanceof RefusedAddress) return `not sent: ${err.message}`;
  if (err.code === 'ECONNREFUSED') return 'connection refused';
  if (err.code === 'ENOTFOUND') return 'the host name does not resolve';
  if (err.code === 'ECONNRESET') return 'the connection was reset';
  return clean(err.message || String(err.code));
}

/** One POST of a signed webhook; never throws, and never takes longer than the timeout. */
export function sendWebhook(
  target: string,
  body: string,
  headers: Record<string, string>,
  opts: SendOptions,
): Promise<SendResult> {
  const started = performance.now();
  const took = () => performance.now() - started;
  const url = new URL(target);
  const literal = literalAddress(url);
  if (opts.guard && literal) {
    const problem = addressProblem(literal, opts.guard);
    if (problem) return Promise.resolve({ error: `not sent: ${problem}`, durationMs: took() });
  }
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = AbortSignal.any([timeout, opts.signal]);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...r, durationMs: took() });
    };
    const fail = (err: NodeJS.ErrnoException) =>
      finish({ error: explain(err, timeout.aborted, opts.timeoutMs) });
    const req = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      signal,
      // A checked endpoint gets a connection of its own, never one pooled for another.
      ...(opts.guard ? { lookup: guardedLookup(opts.guard), agent: false } : {}),
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'Slipway-Webhooks/1',
        ...headers,
      },
    });
    req.on('error', fail);
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
      // A little of a failure's answer helps whoever reads the log; the rest is dropped.
      let snippet = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (snippet.length < 200) snippet += chunk.slice(0, 200 - snippet.length);
      });
      res.on('error', fail);
      res.on('end', () =>
        finish({
          status,
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
          ...(status >= 200 && status < 300
            ? {}
            : { error: `HTTP ${status}${snippet.trim() ? `: ${clean(snippet)}` : ''}` }),
        }),
      );
    });
    req.end(body);
  });
}
