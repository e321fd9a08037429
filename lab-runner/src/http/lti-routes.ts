import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWTVerifyGetKey } from 'jose';
import { asSlipwayError, type SlipwayError, slipwayError } from '../errors/catalogue.ts';
import { parseCookies } from '../identity/learner-cookie.ts';
import { LaunchRefusal, verifyLaunch } from '../lti/launch.ts';
import { PENDING_LAUNCH_MS } from '../lti/pending-launch.ts';
import { platformFor } from '../lti/platforms.ts';
import { sameState } from '../oidc/pending-login.ts';
import type { LtiPlatform } from '../protocol/index.ts';
import { sendErrorPage } from './error-page.ts';
import { deepLinked } from './lti-deep-link.ts';
import { type LtiRouteDeps, launched } from './lti-launch.ts';
import { sendJson } from './responses.ts';

export const LTI_LOGIN = '/lti/login';
export const LTI_LAUNCH = '/lti/launch';
export const LTI_JWKS = '/lti/jwks';
export const LTI_DEEP_LINK = '/lti/deep-link';

export type { LtiRouteDeps } from './lti-launch.ts';

/**
 * LTI 1.3: `/lti/login` (the platform's third-party initiated login, answered with an OIDC
 * authentication request to the platform), `/lti/launch` (the platform's form_post of the
 * id_token), `/lti/jwks` (Slipway's public key) and `/lti/deep-link` (the instructor's picks).
 * Returns false for other paths. Every refusal is logged with its reason.
 */
export async function handleLti(
  req: IncomingMessage,
  res: ServerResponse,
  deps: LtiRouteDeps,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://x');
  if (!url.pathname.startsWith('/lti/')) return false;
  try {
    const lti = deps.lti;
    if (!lti) throw slipwayError('LTI_OFF');
    const method = req.method ?? '';
    if (url.pathname === LTI_JWKS && method === 'GET')
      sendJson(res, 200, { keys: [lti.key.publicJwk] }, { 'cache-control': 'max-age=300' });
    else if (url.pathname === LTI_LOGIN && (method === 'GET' || method === 'POST'))
      await login(req, res, method === 'POST' ? await readForm(req) : url.searchParams, deps);
    else if (url.pathname === LTI_LAUNCH && method === 'POST')
      await launch(req, res, await readForm(req), deps);
    else if (url.pathname === LTI_DEEP_LINK && method === 'POST')
      await deepLinked(res, await readForm(req), deps);
    else if ([LTI_JWKS, LTI_LOGIN, LTI_LAUNCH, LTI_DEEP_LINK].includes(url.pathname))
      throw slipwayError('METHOD_NOT_ALLOWED', { method });
    else throw slipwayError('NOT_FOUND');
  } catch (err) {
    sendErrorPage(req, res, refused(err, deps, url.pathname), deps.logger, { path: url.pathname });
  }
  return true;
}

function refused(err: unknown, deps: LtiRouteDeps, path: string): SlipwayError {
  if (err instanceof LaunchRefusal) {
    deps.logger.warn('LTI launch refused', {
      kind: err.kind,
      reason: err.message,
      path,
      ...(err.cause instanceof Error ? { detail: err.cause.message } : {}),
    });
    return slipwayError('LTI_LAUNCH_REFUSED', { reason: err.message }, err);
  }
  const e = asSlipwayError(err);
  if (e.audience === 'learner' && e.code !== 'NOT_FOUND')
    deps.logger.warn('LTI request refused', { code: e.code, reason: e.message, path });
  return e;
}

const MAX_FORM = 64 * 1024;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded')
    throw slipwayError('BAD_REQUEST', {
      detail: 'the body must be a form (application/x-www-form-urlencoded)',
    });
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM) throw slipwayError('BAD_REQUEST', { detail: 'the body is too large' });
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const redirect = (res: ServerResponse, location: string, status = 302) => {
  res.writeHead(status, { location, 'cache-control': 'no-store', 'content-length': 0 });
  res.end();
};

/** Logins in progress one browser may have; more, and the older ones' cookies are dropped. */
const MAX_PENDING = 4;

async function login(
  req: IncomingMessage,
  res: ServerResponse,
  params: URLSearchParams,
  deps: LtiRouteDeps,
): Promise<void> {
  const lti = deps.lti!;
  const issuer = params.get('iss') ?? '';
  const loginHint = params.get('login_hint');
  const targetLinkUri = params.get('target_link_uri');
  if (!issuer || !loginHint || !targetLinkUri)
    throw new LaunchRefusal(
      'missing-claims',
      'the LMS’s login request lacks iss, login_hint or target_link_uri',
    );
  const clientId = params.get('client_id') ?? undefined;
  const platform = platformFor(lti.platforms, issuer, clientId);
  if (!platform)
    throw new LaunchRefusal(
      'unknown-issuer',
      `the login comes from ${JSON.stringify(issuer.slice(0, 200))}${clientId ? ` with client id ${JSON.stringify(clientId.slice(0, 100))}` : ''}, which is not registered in SLIPWAY_LTI_PLATFORMS`,
    );
  const deployment = params.get('lti_deployment_id');
  if (deployment && !platform.deploymentIds.includes(deployment))
    throw new LaunchRefusal(
      'unknown-deployment',
      `the deployment id ${JSON.stringify(deployment.slice(0, 200))} is not one of ${platform.name}'s in SLIPWAY_LTI_PLATFORMS`,
    );
  // Each login sets a cookie of its own: a page that starts logins over and over must not
  // grow this browser's Cookie header past what servers accept.
  const pendingNames = Object.keys(parseCookies(req.headers.cookie)).filter((n) =>
    deps.pending.isPendingCookie(n),
  );
  if (pendingNames.length >= MAX_PENDING)
    for (const name of pendingNames)
      res.appendHeader('set-cookie', deps.pending.expireHeader(name, deps.cookieSecure));
  const state = randomBytes(24).toString('base64url');
  const nonce = randomBytes(24).toString('base64url');
  const auth = new URL(platform.authLoginUrl);
  const q = auth.searchParams;
  q.set('scope', 'openid');
  q.set('response_type', 'id_token');
  q.set('response_mode', 'form_post');
  q.set('prompt', 'none');
  q.set('client_id', platform.clientId);
  q.set('redirect_uri', `${deps.home()}${LTI_LAUNCH}`);
  q.set('login_hint', loginHint);
  q.set('state', state);
  q.set('nonce', nonce);
  const messageHint = params.get('lti_message_hint');
  if (messageHint) q.set('lti_message_hint', messageHint);
  res.appendHeader(
    'set-cookie',
    deps.pending.header(
      {
        state,
        nonce,
        issuer: platform.issuer,
        clientId: platform.clientId,
        expiresAt: Date.now() + PENDING_LAUNCH_MS,
      },
      state,
      deps.cookieSecure,
    ),
  );
  redirect(res, auth.href);
}

async function launch(
  req: IncomingMessage,
  res: ServerResponse,
  form: URLSearchParams,
  deps: LtiRouteDeps,
): Promise<void> {
  const lti = deps.lti!;
  const state = form.get('state') ?? '';
  const pending = state
    ? deps.pending.open(parseCookies(req.headers.cookie)[deps.pending.cookieName(state)])
    : undefined;
  if (state)
    res.appendHeader('set-cookie', deps.pending.header(undefined, state, deps.cookieSecure));
  const platformError = form.get('error');
  if (platformError)
    throw new LaunchRefusal(
      'malformed',
      `the LMS answered “${platformError.slice(0, 60)}” instead of a launch`,
    );
  if (!pending || !sameState(pending.state, state) || pending.expiresAt < Date.now())
    throw new LaunchRefusal(
      'state-mismatch',
      'this launch was not started from this browser, or took too long (an LMS must open Slipway in a new window: browsers keep Slipway’s cookies from it inside the LMS’s page)',
    );
  const idToken = form.get('id_token');
  if (!idToken) throw new LaunchRefusal('missing-claims', 'the launch has no id_token');
  const verified = await verifyLaunch(idToken, {
    platforms: lti.platforms.filter(
      (p) => p.issuer === pending.issuer && p.clientId === pending.clientId,
    ),
    keysOf: deps.keysOf,
    nonce: pending.nonce,
    useNonce: (iss, nonce, exp) => lti.store.useNonce(iss, nonce, exp),
  });
  await launched(req, res, verified, deps);
}

/** jose's remote key sets, one per platform, each caching and refreshing the platform's keys. */
export function keySets(make: (url: URL) => JWTVerifyGetKey): (p: LtiPlatform) => JWTVerifyGetKey {
  const sets = new Map<string, JWTVerifyGetKey>();
  return (p) => {
    let set = sets.get(p.jwksUrl);
    if (!set) {
      set = make(new URL(p.jwksUrl));
      sets.set(p.jwksUrl, set);
    }
    return set;
  };
}
