import type { IncomingMessage } from 'node:http';

/**
 * A browser always sends Origin on WebSocket upgrades and cross-site POSTs. Accept the site's
 * own origin (same host as the request) and any configured extras; reject everything else.
 * Requests without Origin (curl, tests, server-to-server) are allowed: cookies are what
 * CSRF would abuse, and those come only from browsers, which send Origin.
 */
export function originAllowed(req: IncomingMessage, extra: readonly string[] = []): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (extra.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
