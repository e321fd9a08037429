import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { asSlipwayError, type SlipwayError, slipwayError } from '../errors/catalogue.ts';
import type { Logger } from '../errors/log.ts';
import type { LoadedLabs } from '../labs/load-labs.ts';
import type { ProgressStore } from '../progress/progress-store.ts';
import type { SandboxProvider } from '../sandbox/provider.ts';
import { ownedSandboxes } from '../sessions/owned-sandboxes.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { findLab } from './api.ts';
import type { Identity } from './identity.ts';
import { originAllowed } from './origin.ts';
import {
  type PreviewTarget,
  parsePreviewPath,
  rewriteLocation,
  rewriteSetCookie,
  withoutLearnerCookie,
} from './preview-paths.ts';

export interface PreviewDeps {
  labs: LoadedLabs;
  sessions: SessionManager;
  provider: SandboxProvider;
  store: ProgressStore;
  identity: Identity;
  logger: Logger;
  allowedOrigins: readonly string[];
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

/**
 * Where a learner's preview goes: their OWN sandbox for that lab, found by their cookie,
 * never by anything in the URL but the lab and the port. Nobody else can reach it.
 */
async function resolve(req: IncomingMessage, target: PreviewTarget, deps: PreviewDeps) {
  const learnerId = deps.identity.read(req);
  if (!learnerId) throw slipwayError('NOT_SIGNED_IN');
  findLab(deps.labs, target.labId);
  const status = deps.sessions.find(learnerId, target.labId)?.sandboxStatus;
  let sandboxId = status?.kind === 'ready' ? status.sandbox.id : undefined;
  if (!sandboxId) {
    const running = (await ownedSandboxes(deps.provider, deps.store, learnerId, target.labId)).find(
      (s) => s.state === 'running',
    );
    sandboxId = running?.id;
  }
  if (!sandboxId) throw slipwayError('PREVIEW_NO_SANDBOX');
  return deps.provider.openPort(sandboxId, target.port);
}

function forwardHeaders(
  req: IncomingMessage,
  target: PreviewTarget,
  keepUpgrade: boolean,
): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (!keepUpgrade && HOP_BY_HOP.has(k)) continue;
    headers[k] = v;
  }
  const cookie = withoutLearnerCookie(req.headers.cookie);
  if (cookie) headers.cookie = cookie;
  else delete headers.cookie;
  headers['x-forwarded-prefix'] = target.prefix;
  headers['x-forwarded-host'] = req.headers.host;
  headers['x-forwarded-proto'] = 'http';
  return headers;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Errors end up inside the preview pane, so they are small HTML pages in plain words. */
function sendPreviewError(res: ServerResponse, e: SlipwayError): void {
  const l = e.toLearner();
  const body = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Preview</title>
<body style="font:16px system-ui,sans-serif;margin:2rem;color:#222"><h1 style="font-size:1.2rem">${escapeHtml(l.message)}</h1>
<p>${escapeHtml(l.hint)}</p></body></html>`;
  if (res.headersSent) return void res.destroy();
  res.writeHead(e.status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** HTTP under /preview/<lab>/<port>/; returns false for any other path. */
export async function handlePreviewRequest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: PreviewDeps,
): Promise<boolean> {
  const target = parsePreviewPath(req.url ?? '/');
  if (!target) return false;
  if (target.needsSlash) {
    const q = (req.url ?? '').indexOf('?');
    res
      .writeHead(308, { location: `${target.prefix}/${q < 0 ? '' : (req.url ?? '').slice(q)}` })
      .end();
    return true;
  }
  let up: { host: string; port: number };
  try {
    up = await resolve(req, target, deps);
  } catch (err) {
    sendPreviewError(res, asSlipwayError(err));
    return true;
  }
  const upstream = request({
    host: up.host,
    port: up.port,
    method: req.method,
    path: target.path,
    headers: forwardHeaders(req, target, false),
    timeout: 30_000,
  });
  upstream.on('response', (ur) => {
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(ur.headers)) {
      if (v === undefined || HOP_BY_HOP.has(k)) continue;
      if (k === 'location' && typeof v === 'string')
        headers[k] = rewriteLocation(v, target.prefix, `${up.host}:${up.port}`);
      else if (k === 'set-cookie' && Array.isArray(v))
        headers[k] = v.map((c) => rewriteSetCookie(c, target.prefix));
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
  return true;
}

/** WebSocket (any HTTP upgrade) under /preview/: a byte pipe to the sandbox port. */
export async function handlePreviewUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  deps: PreviewDeps,
): Promise<boolean> {
  const target = parsePreviewPath(req.url ?? '/');
  if (!target) return false;
  const refuse = (status: number, text: string) => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\n\r\n`);
    return true;
  };
  if (!originAllowed(req, deps.allowedOrigins)) return refuse(403, 'Forbidden');
  let up: { host: string; port: number };
  try {
    up = await resolve(req, target, deps);
  } catch (err) {
    const e = asSlipwayError(err);
    return refuse(e.status, e.code);
  }
  const upstream = connect(up.port, up.host);
  upstream.setTimeout(30_000, () => upstream.destroy());
  upstream.once('connect', () => {
    upstream.setTimeout(0);
    const lines = [`${req.method} ${target.path} HTTP/1.1`];
    for (const [k, v] of Object.entries(forwardHeaders(req, target, true))) {
      for (const value of Array.isArray(v) ? v : [v])
        if (value !== undefined) lines.push(`${k}: ${value}`);
    }
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on('error', () => void refuse(502, 'Bad Gateway'));
  socket.on('error', () => upstream.destroy());
  socket.on('close', () => upstream.destroy());
  upstream.on('close', () => socket.destroy());
  deps.logger.info('preview websocket', { lab: target.labId, port: target.port });
  return true;
}
