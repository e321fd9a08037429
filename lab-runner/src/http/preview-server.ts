import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { asSlipwayError, slipwayError } from '../errors/catalogue.ts';
import { cookieValues } from '../identity/learner-cookie.ts';
import {
  PREVIEW_COOKIE_MS,
  type PreviewGrant,
  type PreviewTokens,
  previewCookieName,
} from '../identity/preview-tokens.ts';
import { hostAllowed, type Origins } from './origins.ts';
import { ENTER_PATH } from './preview-entry.ts';
import { type PreviewTarget, parsePreviewPath } from './preview-paths.ts';
import {
  type Forwarded,
  learnerSandbox,
  type PreviewProxyDeps,
  proxyPreviewRequest,
  proxyPreviewUpgrade,
  sendPreviewError,
} from './preview-proxy.ts';
import { pathProblem } from './request-path.ts';

export interface PreviewServerDeps extends PreviewProxyDeps {
  previewTokens: PreviewTokens;
  origins: () => Origins;
}

/**
 * The preview origin: learners' web apps (Grafana, Dagster, their own nginx) are served here,
 * on an origin of their own, so a page of theirs holds no authority over Slipway. The only way
 * in is an entry token from the site, traded once for a cookie that opens one lab's previews
 * of one sandbox; nothing else of Slipway answers here.
 */
export function createPreviewServer(deps: PreviewServerDeps): Server {
  const used = new Map<string, number>();
  const server = createServer((req, res) => {
    handle(req, res, deps, used).catch((err) => sendPreviewError(res, asSlipwayError(err)));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrade(req, socket, head, deps).catch(() => socket.destroy());
  });
  return server;
}

/** The preview origin this request came in on, and the site origin beside it. */
function where(req: IncomingMessage, origins: Origins): { preview: string; site: string } {
  const host = req.headers.host?.toLowerCase();
  for (const [site, preview] of origins.previewFor) {
    if (new URL(preview).host === host) return { preview, site };
  }
  const [site, preview] = [...origins.previewFor][0]!;
  return { preview, site };
}

const forwarded = (preview: string, req: IncomingMessage): Forwarded => ({
  proto: preview.startsWith('https:') ? 'https' : 'http',
  host: req.headers.host ?? '',
});

/** The grant in the lab's preview cookie; every copy the browser sends must say the same. */
function grantOf(
  req: IncomingMessage,
  labId: string,
  tokens: PreviewTokens,
): PreviewGrant | undefined {
  const values = cookieValues(req.headers.cookie, previewCookieName(labId));
  const grants = values.map((v) => tokens.readPreview(v));
  const first = grants[0];
  if (!first || first.labId !== labId) return undefined;
  const same = grants.every(
    (g) => g && g.learnerId === first.learnerId && g.sandboxId === first.sandboxId,
  );
  return same ? first : undefined;
}

/** The grant, if it still opens the learner's current sandbox for that lab. */
async function authorize(
  req: IncomingMessage,
  target: PreviewTarget,
  deps: PreviewServerDeps,
): Promise<PreviewGrant | undefined> {
  const grant = grantOf(req, target.labId, deps.previewTokens);
  if (!grant) return undefined;
  const current = await learnerSandbox(grant.learnerId, grant.labId, deps);
  return current === grant.sandboxId ? grant : undefined;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  deps: PreviewServerDeps,
  used: Map<string, number>,
): Promise<void> {
  const bad = pathProblem(req.url);
  if (bad) return sendPreviewError(res, slipwayError('BAD_PATH', { detail: bad }));
  const origins = deps.origins();
  if (!hostAllowed(req, origins.previewHosts))
    return sendPreviewError(res, slipwayError('BAD_HOST', { host: req.headers.host ?? '' }));
  const { preview, site } = where(req, origins);
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === ENTER_PATH) return enter(res, url, preview, deps, used);
  const target = parsePreviewPath(req.url ?? '/');
  if (!target) return sendPreviewError(res, slipwayError('NOT_FOUND'));
  if (target.needsSlash) {
    res.writeHead(308, { location: `${target.prefix}/${url.search}` }).end();
    return;
  }
  const grant = await authorize(req, target, deps);
  if (!grant) {
    return sendPreviewError(res, slipwayError('PREVIEW_SIGN_IN'), {
      href: `${site}${target.prefix}${target.path}`,
      text: 'Open this preview again',
    });
  }
  await proxyPreviewRequest(req, res, target, grant.sandboxId, forwarded(preview, req), deps);
}

/** Trades an entry token (once, within its minute) for the lab's preview cookie. */
function enter(
  res: ServerResponse,
  url: URL,
  preview: string,
  deps: PreviewServerDeps,
  used: Map<string, number>,
): void {
  const now = Date.now();
  for (const [t, until] of used) if (until < now) used.delete(t);
  const token = url.searchParams.get('t') ?? '';
  const entry = deps.previewTokens.readEntry(token, now);
  const target = entry && parsePreviewPath(entry.path);
  if (!entry || !target || target.labId !== entry.labId || used.has(token)) {
    sendPreviewError(res, slipwayError('PREVIEW_SIGN_IN'));
    return;
  }
  used.set(token, now + 120_000);
  const cookie = [
    `${previewCookieName(entry.labId)}=${deps.previewTokens.preview(entry, now)}`,
    `Path=/preview/${entry.labId}/`,
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${Math.round(PREVIEW_COOKIE_MS / 1000)}`,
    ...(preview.startsWith('https:') ? ['Secure'] : []),
  ].join('; ');
  res.writeHead(303, {
    location: entry.path,
    'set-cookie': cookie,
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  });
  res.end();
}

async function upgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  deps: PreviewServerDeps,
): Promise<void> {
  const refuse = (status: string, why: string) =>
    void socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${why}\n`,
    );
  const bad = pathProblem(req.url);
  if (bad) return refuse('400 Bad Request', `bad address: ${bad}`);
  const origins = deps.origins();
  if (!hostAllowed(req, origins.previewHosts))
    return refuse('421 Misdirected Request', 'this server does not answer for that host name');
  const { preview } = where(req, origins);
  const origin = req.headers.origin;
  if (origin !== undefined && ![...origins.previewFor.values()].includes(origin))
    return refuse('403 Forbidden', 'a preview socket may only be opened by the preview itself');
  const target = parsePreviewPath(req.url ?? '/');
  if (!target || target.needsSlash) return refuse('404 Not Found', 'no such preview');
  const grant = await authorize(req, target, deps);
  if (!grant) return refuse('401 Unauthorized', slipwayError('PREVIEW_SIGN_IN').message);
  await proxyPreviewUpgrade(
    req,
    socket,
    head,
    target,
    grant.sandboxId,
    forwarded(preview, req),
    deps,
  );
}
