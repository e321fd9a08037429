import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InstructorStore } from '../accounts/instructor-store.ts';
import type { OidcSettings } from '../config.ts';
import { asSlipwayError, slipwayError } from '../errors/catalogue.ts';
import type { Logger } from '../errors/log.ts';
import { parseCookies } from '../identity/learner-cookie.ts';
import { baseUsername, uniqueUsername } from '../oidc/instructor-name.ts';
import { mayTeach } from '../oidc/instructor-rule.ts';
import type { OidcClient } from '../oidc/oidc-client.ts';
import {
  PENDING_COOKIE,
  type PendingLogin,
  type PendingLogins,
  type SignInRole,
  sameState,
} from '../oidc/pending-login.ts';
import { refusalReason } from '../oidc/refusal-reason.ts';
import { defaultReturn, safeReturnPath } from '../oidc/return-path.ts';
import type { Person, SignInStore } from '../progress/sign-in-store.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { sendErrorPage } from './error-page.ts';
import type { Identity } from './identity.ts';
import { startInstructorSession } from './instructor-auth.ts';
import { type Origins, siteOriginOf } from './origins.ts';
import { sendError, sendJson } from './responses.ts';

export const LOGIN_ROUTE = '/auth/oidc/login';
export const CALLBACK_ROUTE = '/auth/oidc/callback';

export interface SignInDeps {
  /** Undefined when no provider is configured: every sign-in route says so. */
  oidc: { client: OidcClient; settings: OidcSettings } | undefined;
  pending: PendingLogins;
  signIns: SignInStore;
  instructors: InstructorStore;
  identity: Identity;
  sessions: SessionManager;
  logger: Logger;
  cookieSecure: boolean;
  origins: () => Origins;
}

/**
 * Single sign-on: `GET /auth/oidc/login?role=instructor|learner&return=/path` sends the browser
 * to the provider, `GET /auth/oidc/callback` takes its answer; `GET /api/auth` tells pages
 * whether sign-in is offered and who this browser's learner is. Returns false for other paths.
 */
export async function handleSignIn(
  req: IncomingMessage,
  res: ServerResponse,
  deps: SignInDeps,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/api/auth') {
    try {
      if (req.method !== 'GET')
        throw slipwayError('METHOD_NOT_ALLOWED', { method: req.method ?? '?' });
      status(req, res, deps);
    } catch (err) {
      sendError(res, err, deps.logger, { path: url.pathname });
    }
    return true;
  }
  if (!url.pathname.startsWith('/auth/')) return false;
  try {
    // GET only: a HEAD (a link checker, a prefetch) would use up a sign-in's answer.
    if (req.method !== 'GET')
      throw slipwayError('METHOD_NOT_ALLOWED', { method: req.method ?? '?' });
    if (url.pathname === LOGIN_ROUTE) await login(req, res, url, deps);
    else if (url.pathname === CALLBACK_ROUTE) await callback(req, res, url, deps);
    else throw slipwayError('NOT_FOUND');
  } catch (err) {
    const e = asSlipwayError(err);
    if (e.audience === 'learner' && e.code !== 'NOT_FOUND')
      deps.logger.warn('sign-in refused', {
        code: e.code,
        reason: e.message,
        path: url.pathname,
        ...(e.cause instanceof Error ? { detail: e.cause.message } : {}),
      });
    sendErrorPage(req, res, e, deps.logger, { path: url.pathname });
  }
  return true;
}

function status(req: IncomingMessage, res: ServerResponse, deps: SignInDeps): void {
  const learnerId = deps.identity.read(req);
  const person = learnerId ? deps.signIns.personName(learnerId) : undefined;
  sendJson(res, 200, {
    sso: deps.oidc
      ? {
          name: deps.oidc.settings.name,
          learners: deps.oidc.settings.learners,
          login: LOGIN_ROUTE,
        }
      : null,
    learner: person ? { signedIn: true, name: person.name } : { signedIn: false },
  });
}

const redirect = (res: ServerResponse, location: string, status = 302) => {
  res.writeHead(status, { location, 'cache-control': 'no-store', 'content-length': 0 });
  res.end();
};

function providerOf(deps: SignInDeps, role?: SignInRole) {
  if (!deps.oidc) throw slipwayError('SIGN_IN_OFF', { role: role ?? 'instructor' });
  if (role === 'learner' && deps.oidc.settings.learners === 'off')
    throw slipwayError('SIGN_IN_OFF', { role });
  return deps.oidc;
}

const isPrefetch = (req: IncomingMessage) =>
  /prefetch|prerender/i.test(
    `${req.headers['sec-purpose'] ?? ''} ${req.headers.purpose ?? ''} ${req.headers['x-moz'] ?? ''}`,
  );

async function login(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: SignInDeps,
): Promise<void> {
  const roleParam = url.searchParams.get('role') ?? 'learner';
  if (roleParam !== 'instructor' && roleParam !== 'learner')
    throw slipwayError('BAD_REQUEST', { detail: 'role must be "instructor" or "learner"' });
  const role: SignInRole = roleParam;
  const oidc = providerOf(deps, role);
  // A prefetch (the site's or the browser's own) must not start a sign-in: its cookie would
  // replace the one of the sign-in the person then starts, whose answer would be refused.
  if (isPrefetch(req)) {
    res.writeHead(204, { 'cache-control': 'no-store' });
    res.end();
    return;
  }
  const rawReturn = url.searchParams.get('return');
  const returnTo = rawReturn === null ? defaultReturn(role) : safeReturnPath(rawReturn);
  if (!returnTo) throw slipwayError('SIGN_IN_BAD_RETURN');
  // The provider sends the browser back to the redirect URI's origin: start there, so the
  // pending sign-in's cookie is on the host that receives the answer.
  const home = new URL(oidc.client.callbackUrl).origin;
  if (siteOriginOf(req, deps.origins()) !== home) {
    redirect(res, `${home}${url.pathname}${url.search}`);
    return;
  }
  let started: Awaited<ReturnType<OidcClient['start']>>;
  try {
    started = await oidc.client.start(role, returnTo);
  } catch (err) {
    deps.logger.warn('sign-in provider unavailable', {
      issuer: oidc.settings.issuer,
      error: (err as Error).message,
    });
    throw slipwayError('SIGN_IN_UNAVAILABLE', { provider: oidc.settings.name }, err);
  }
  res.appendHeader(
    'set-cookie',
    deps.pending.header(deps.pending.seal(started.pending), deps.cookieSecure),
  );
  redirect(res, started.url.href);
}

async function callback(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: SignInDeps,
): Promise<void> {
  const oidc = providerOf(deps);
  // Whatever happens, this browser's pending sign-in is over.
  res.appendHeader('set-cookie', deps.pending.header(undefined, deps.cookieSecure));
  const pending = deps.pending.open(parseCookies(req.headers.cookie)[PENDING_COOKIE]);
  const state = url.searchParams.get('state') ?? '';
  if (!pending || !state || !sameState(pending.state, state) || pending.expiresAt < Date.now())
    throw slipwayError('SIGN_IN_EXPIRED');
  // Before anything is sent to the provider: the same answer is never taken twice.
  if (!deps.signIns.useState(state, pending.expiresAt)) throw slipwayError('SIGN_IN_REPLAYED');
  const providerError = url.searchParams.get('error');
  if (providerError) {
    const described = (url.searchParams.get('error_description') ?? '')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are removed
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .slice(0, 200);
    throw slipwayError('SIGN_IN_DENIED', {
      provider: oidc.settings.name,
      reason:
        providerError === 'access_denied'
          ? 'the sign-in was cancelled or refused'
          : `it answered “${providerError.slice(0, 60)}”${described ? ` (${described})` : ''}`,
    });
  }
  let claims: Record<string, unknown>;
  try {
    claims = await oidc.client.finish(url.search, pending);
  } catch (err) {
    const why = refusalReason(err);
    deps.logger.warn('sign-in answer refused', {
      role: pending.role,
      reason: why.reason,
      error: (err as Error).message,
      code: (err as { code?: unknown }).code,
      cause: ((err as Error).cause as Error | undefined)?.message,
    });
    throw slipwayError(
      why.kind === 'unavailable' ? 'SIGN_IN_UNAVAILABLE' : 'SIGN_IN_REFUSED',
      { provider: oidc.settings.name, reason: why.reason },
      err,
    );
  }
  const person = personOf(claims);
  if (pending.role === 'instructor') instructorSignedIn(req, res, deps, oidc, claims, person);
  else learnerSignedIn(req, res, deps, person, pending);
  redirect(res, pending.returnTo, 303);
}

function personOf(claims: Record<string, unknown>): Person {
  const text = (k: string) => (typeof claims[k] === 'string' ? (claims[k] as string) : undefined);
  return {
    issuer: text('iss')!,
    subject: text('sub')!,
    name: (text('name') ?? text('preferred_username') ?? text('email'))?.slice(0, 100),
  };
}

function instructorSignedIn(
  req: IncomingMessage,
  res: ServerResponse,
  deps: SignInDeps,
  oidc: NonNullable<SignInDeps['oidc']>,
  claims: Record<string, unknown>,
  person: Person,
): void {
  const verdict = mayTeach(claims, {
    claim: oidc.settings.groupsClaim,
    groups: oidc.settings.instructorGroups,
  });
  if (!verdict.allowed) {
    deps.logger.warn('sign-in as an instructor refused: not in an instructor group', {
      subject: person.subject,
      claim: oidc.settings.groupsClaim,
      groups: verdict.groups,
      why: verdict.why,
    });
    throw slipwayError('NOT_AN_INSTRUCTOR', { provider: oidc.settings.name });
  }
  const { instructor, created } = deps.signIns.signInInstructor(person, deps.instructors, (taken) =>
    uniqueUsername(baseUsername(claims), taken),
  );
  startInstructorSession(req, res, deps.instructors, instructor.id, deps.cookieSecure);
  deps.logger.info('instructor signed in', {
    username: instructor.username,
    created,
    subject: person.subject,
  });
}

function learnerSignedIn(
  req: IncomingMessage,
  res: ServerResponse,
  deps: SignInDeps,
  person: Person,
  pending: PendingLogin,
): void {
  // The role was decided when the sign-in started; the setting may have changed since.
  providerOf(deps, pending.role);
  const browser = deps.identity.cookies.read(req.headers.cookie);
  const { learnerId, decision } = deps.signIns.signInLearner(person, browser, () =>
    deps.identity.cookies.newLearnerId(),
  );
  if (learnerId !== browser)
    res.appendHeader('set-cookie', deps.identity.cookies.header(learnerId));
  if (decision.kind === 'merge') {
    // The old learner's sandboxes are unreachable from this browser now: free them. Completed
    // tasks moved with the rest and come back at the next start.
    for (const s of [...deps.sessions.all()])
      if (s.learnerId === decision.from && s.sandboxStatus.kind !== 'none')
        s.reset().catch((err) => deps.logger.error('a merged learner’s sandbox stayed', err));
  }
  deps.logger.info('learner signed in', { decision: decision.kind, subject: person.subject });
}
