import type { ServerResponse } from 'node:http';
import { asSlipwayError } from '../errors/catalogue.ts';
import type { Logger } from '../errors/log.ts';

/** Sends a JSON response; returns true so a route can `return sendJson(...)`. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): true {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(data),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(data);
  return true;
}

/** Ends a request with an error from the catalogue; system errors are logged with their stack. */
export function sendError(
  res: ServerResponse,
  err: unknown,
  logger: Logger,
  context: Record<string, unknown> = {},
): void {
  const e = asSlipwayError(err);
  if (e.audience === 'system') logger.error('request failed', e, context);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, e.status, { error: e.toLearner() });
}
