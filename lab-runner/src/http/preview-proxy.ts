import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import type { Duplex } from 'node:stream';
import { type SlipwayError, slipwayError } from '../errors/catalogue.ts';
import type { Logger } from '../errors/log.ts';
import type { ProgressStore } from '../progress/progress-store.ts';
import type { SandboxProvider } from '../sandbox/provider.ts';
import { ownedSandboxes } from '../sessions/owned-sandboxes.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import {
  type PreviewTarget,
  rewriteLocation,
  rewriteSetCookie,
  withoutSlipwayCookies,
} from './preview-paths.ts';

export interface PreviewProxyDeps {
  sessions: SessionManager;
  provider: SandboxProvider;
  store: ProgressStore;
  logger: Logger;
}

/** How the browser reached the preview, for the app's X-Forwarded-* headers. */
export interface Forwarded {
  proto: 'http' | 'https';
  host: string;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The learner's running sandbox for a lab, if there is one: never anyone else's. */
export async function learnerSandbox(
  learnerId: string,
  labId: string,
  deps: PreviewProxyDeps,
): Promise<string | undefined> {
  const status = deps.sessions.find(learnerId, labId)?.sandboxStatus;
  if (status?.kind === 'ready') return status.sandbox.id;
  const running = (await ownedSandboxes(deps.provider, deps.store, learnerId, labId)).find(
    (s) => s.state === 'running',
  );
  return running?.id;
}

function forwardHeaders(
  req: IncomingMessage,
  target: PreviewTarget,
  fwd: Forwarded,
  keepUpgrade: boolean,
): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (!keepUpgrade && HOP_BY_HOP.has(k)) continue;
    headers[k] = v;
  }
  const cookie = withoutSlipwayCookies(req.headers.cookie);
  if (cookie) headers.cookie = cookie;
  else delete headers.cookie;
  headers['x-forwarded-prefix'] = target.prefix;
  headers['x-forwarded-host'] = fwd.host;
  headers['x-forwarded-proto'] = fwd.proto;
  return headers;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Errors end up inside the preview pane, so they are small HTML pages in plain words; `link`
 * offers a way back (e.g. to open the preview again from the site).
 */
export function sendPreviewError(
  res: ServerResponse,
  e: SlipwayError,
  link?: { href: string; text: string },
): void {
  const l = e.toLearner();
  const a = link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : '';
  const body = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Preview</title>
<body style="font:16px system-ui,sans-serif;margin:2rem;color:#222"><h1 style="font-size:1.2rem">${escapeHtml(l.message)}</h1>
<p>${escapeHtml(l.hint)}</p>${a}</body></html>`;
  if (res.headersSent) return void res.destroy();
  res.writeHead(e.status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  });
  res.end(body);
}

/** HTTP to a port of the sandbox, with redirects and cookies kept inside the preview. */
export async function proxyPreviewRequest(
  req: IncomingMessage,
  res: ServerResponse,
  target: PreviewTarget,
  sandboxId: string,
  fwd: Forwarded,
  deps: PreviewProxyDeps,
): Promise<void> {
  const conn = await deps.provider.connectPort(sandboxId, target.port);
  const upstream = request({
    createConnection: () => conn,
    method: req.method,
    path: target.path,
    headers: forwardHeaders(req, target, fwd, false),
    timeout: 30_000,
  });
  upstream.on('response', (ur) => {
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(ur.headers)) {
      if (v === undefined || HOP_BY_HOP.has(k)) continue;
      if (k === 'location' && typeof v === 'string')
        headers[k] = rewriteLocation(v, target.prefix, req.headers.host ?? '');
      else if (k === 'set-cookie' && Array.isArray(v))
        headers[k] = v
          .map((c) => rewriteSetCookie(c, target.prefix))
          .filter((c): c is string => c !== undefined);
      else headers[k] = v;
    }
    res.writeHead(ur.statusCode ?? 502, headers);
    ur.pipe(res);
  });
  upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
  upstream.on('error', () =>
    sendPreviewError(res, slipwayError('PREVIEW_UNREACHABLE', { port: String(target.port) })),
  );
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}

/** A WebSocket (any HTTP upgrade) to a port of the sandbox: a byte pipe once connected. */
export async function proxyPreviewUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: PreviewTarget,
  sandboxId: string,
  fwd: Forwarded,
  deps: PreviewProxyDeps,
): Promise<void> {
  let upstream: Duplex;
  try {
    upstream = await deps.provider.connectPort(sandboxId, target.port);
  } catch {
    socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n');
    return;
  }
  const lines = [`${req.method} ${target.path} HTTP/1.1`];
  for (const [k, v] of Object.entries(forwardHeaders(req, target, fwd, true))) {
    for (const value of Array.isArray(v) ? v : [v])
      if (value !== undefined) lines.push(`${k}: ${value}`);
  }
  upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (head.length > 0) upstream.write(head);
  upstream.pipe(socket);
  socket.pipe(upstream);
  upstream.on('error', () => socket.destroy());
  socket.on('error', () => upstream.destroy());
  socket.on('close', () => upstream.destroy());
  upstream.on('close', () => socket.destroy());
  deps.logger.info('preview websocket', { lab: target.labId, port: target.port });
}
