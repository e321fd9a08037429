import type { IncomingMessage, ServerResponse } from 'node:http';
import { asSlipwayError } from '../errors/catalogue.ts';
import type { Logger } from '../errors/log.ts';
import { sendError } from './responses.ts';

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * Ends a request a browser navigated to (not one a page's script made) with an error from the
 * catalogue: a small page with the message and what to do, or the usual JSON body for a
 * client that asks for JSON. System errors are logged with their stack, as in sendError.
 */
export function sendErrorPage(
  req: IncomingMessage,
  res: ServerResponse,
  err: unknown,
  logger: Logger,
  context: Record<string, unknown> = {},
): void {
  if (res.headersSent || !(req.headers.accept ?? '').includes('text/html')) {
    sendError(res, err, logger, context);
    return;
  }
  const e = asSlipwayError(err);
  if (e.audience === 'system') logger.error('request failed', e, context);
  const shown = e.toLearner();
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Signing in did not work · Slipway</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.4rem}.hint{color:#4b5563}code{font-size:.85em;color:#6b7280}
@media (prefers-color-scheme:dark){body{color:#e5e7eb;background:#17181c}.hint{color:#9ca3af}a{color:#93c5fd}}
</style>
</head>
<body>
<main>
<h1 data-error-code="${escapeHtml(shown.code)}">${escapeHtml(shown.message)}</h1>
<p class="hint">${escapeHtml(shown.hint)}</p>
<p><a href="/">Back to the course</a> · <a href="/instructor/">Instructor page</a></p>
<p><code>${escapeHtml(shown.code)}</code></p>
</main>
</body>
</html>
`;
  res.writeHead(e.status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(page),
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(page);
}
