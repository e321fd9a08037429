import { createReadStream, existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiTokenStore } from '../accounts/api-token-store.ts';
import type { InstructorStore } from '../accounts/instructor-store.ts';
import {
  ADDRESS_LOGIN_POLICY,
  DEFAULT_LOGIN_POLICY,
  type FailureLog,
  loginAllowed,
} from '../accounts/login-policy.ts';
import { verifyAgainstNothing, verifyPassword } from '../accounts/passwords.ts';
import { labsFor } from '../classes/class-labs.ts';
import { slipwayError } from '../errors/catalogue.ts';
import type { Logger } from '../errors/log.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { ProgressStore } from '../progress/progress-store.ts';
import { createClassBodySchema, loginBodySchema } from '../protocol/index.ts';
import type { ClassList, CreatedClass, LearnerDetail } from '../protocol/instructor-views.ts';
import { learnerAnswers } from '../questions/class-questions.ts';
import {
  assertLearnersCanSignIn,
  type ClassSettingsDeps,
  handleClassSettingsApi,
} from './class-settings-api.ts';
import { streamClass } from './class-stream.ts';
import {
  type ClassViewDeps,
  classCsv,
  classQuestions,
  classView,
  learnerRow,
} from './class-view.ts';
import {
  instructorOf,
  sessionToken,
  setInstructorCookie,
  startInstructorSession,
} from './instructor-auth.ts';
import { handleLtiScoresApi, type LtiScoresApiDeps } from './lti-scores-api.ts';
import { readJson } from './request-body.ts';
import { sendJson } from './responses.ts';
import { handleTokensApi } from './tokens-api.ts';
import { handleWebhooksApi, type WebhooksApiDeps } from './webhooks-api.ts';

export interface InstructorApiDeps
  extends ClassViewDeps,
    WebhooksApiDeps,
    LtiScoresApiDeps,
    ClassSettingsDeps {
  instructors: InstructorStore;
  tokens: ApiTokenStore;
  store: ProgressStore;
  bus: EventBus;
  logger: Logger;
  failures: FailureLog;
  cookieSecure: boolean;
}

const CLASS =
  /^\/api\/instructor\/classes\/([\w-]{6,40})(?:\/(stream|export\.csv|export\.json)|\/learners\/([\w-]{16,64})(?:\/recordings\/(\d+))?)?$/;

/** Instructor routes under /api/instructor. Every one but login needs a session. */
export async function handleInstructorApi(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: InstructorApiDeps,
): Promise<boolean> {
  if (!path.startsWith('/api/instructor/')) return false;
  const method = req.method ?? 'GET';
  if (path === '/api/instructor/login' && method === 'POST') return login(req, res, deps);

  const me = instructorOf(req, deps.instructors);
  if (!me) throw slipwayError('INSTRUCTOR_ONLY');
  if (path === '/api/instructor/logout' && method === 'POST') {
    const token = sessionToken(req);
    if (token) deps.instructors.endSession(token);
    setInstructorCookie(res, undefined, deps.cookieSecure);
    sendJson(res, 200, { ok: true });
    return true;
  }
  if (path === '/api/instructor/me') return sendJson(res, 200, { username: me.username });
  if (path === '/api/instructor/course') return sendJson(res, 200, { modules: deps.outline() });
  if (path === '/api/instructor/classes') {
    if (method === 'POST') {
      const body = await readJson(req, createClassBodySchema);
      const known = new Set(deps.outline().map((m) => m.slug));
      const unknown = body.modules.filter((m) => !known.has(m));
      if (unknown.length > 0)
        throw slipwayError('BAD_REQUEST', { detail: `unknown module ${unknown.join(', ')}` });
      if (body.requireSignIn) assertLearnersCanSignIn(deps);
      const c = deps.classes.create(me.id, body.name, body.modules, new Date(), body.requireSignIn);
      const created: CreatedClass = {
        id: c.id,
        name: c.name,
        joinCode: c.joinCode,
        modules: c.modules,
        requireSignIn: c.requireSignIn,
      };
      sendJson(res, 201, created);
      return true;
    }
    const list: ClassList = {
      classes: deps.classes.listFor(me.id).map((c) => ({
        id: c.id,
        name: c.name,
        modules: c.modules,
        joinCode: c.joinCode,
        createdAt: c.createdAt,
        members: deps.classes.members(c.id).length,
        requireSignIn: c.requireSignIn,
      })),
    };
    sendJson(res, 200, list);
    return true;
  }

  if (await handleWebhooksApi(req, res, path, me, deps)) return true;
  if (await handleTokensApi(req, res, path, me, deps.tokens)) return true;
  if (handleLtiScoresApi(method, res, path, me, deps)) return true;
  if (await handleClassSettingsApi(req, res, path, me, deps)) return true;

  const m = CLASS.exec(path);
  // Another instructor's class looks exactly like one that does not exist.
  const c = m ? deps.classes.ownedBy(m[1]!, me.id) : undefined;
  if (!m || !c) throw slipwayError(m ? 'CLASS_NOT_FOUND' : 'NOT_FOUND');
  const [, , view, learnerId, recordingId] = m;
  if (view === 'stream') {
    streamClass(req, res, c, deps);
    return true;
  }
  if (view === 'export.csv' || view === 'export.json') {
    const data = classView(deps, c);
    const name = `${c.name.replace(/[^\w-]+/g, '-')}-progress.${view === 'export.csv' ? 'csv' : 'json'}`;
    const headers = { 'content-disposition': `attachment; filename="${name}"` };
    if (view === 'export.json') sendJson(res, 200, data, headers);
    else {
      res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'cache-control': 'no-store',
        ...headers,
      });
      res.end(classCsv(data));
    }
    return true;
  }
  if (!learnerId) return sendJson(res, 200, classView(deps, c));

  const member = deps.classes.members(c.id).find((x) => x.learnerId === learnerId);
  if (!member) throw slipwayError('LEARNER_NOT_FOUND');
  if (recordingId) {
    const rec = deps.store.recording(Number(recordingId));
    if (!rec || rec.learnerId !== learnerId || !existsSync(rec.path))
      throw slipwayError('NOT_FOUND');
    res.writeHead(200, {
      'content-type': 'application/x-asciicast; charset=utf-8',
      'cache-control': 'no-store',
    });
    createReadStream(rec.path).pipe(res);
    return true;
  }
  const labs = labsFor(c.modules, deps.outline());
  const questions = classQuestions(deps, c);
  const detail: LearnerDetail = {
    member,
    row: learnerRow(deps, labs, member, Date.now(), questions),
    questions: learnerAnswers(questions, deps.questions.answers.attempts(learnerId)),
    // Labs where the learner has a terminal now: the ones a shadow can attach to.
    terminals: labs
      .filter((l) => deps.sessions.find(learnerId, l.id)?.sandboxStatus.kind === 'ready')
      .map((l) => l.id),
    timeline: deps.activity.timeline(learnerId),
    recordings: deps.store
      .recordings(learnerId)
      .map(({ id, labId, sessionId, startedAt }) => ({ id, labId, sessionId, startedAt })),
  };
  sendJson(res, 200, detail);
  return true;
}

async function login(
  req: IncomingMessage,
  res: ServerResponse,
  deps: InstructorApiDeps,
): Promise<boolean> {
  const body = await readJson(req, loginBodySchema);
  const now = Date.now();
  const limits = [
    { key: `user:${body.username.toLowerCase()}`, policy: DEFAULT_LOGIN_POLICY },
    { key: `addr:${req.socket.remoteAddress ?? '?'}`, policy: ADDRESS_LOGIN_POLICY },
  ];
  const keys = limits.map((l) => l.key);
  for (const { key, policy } of limits) {
    const verdict = loginAllowed(deps.failures.get(key, now), now, policy);
    if (!verdict.allowed) {
      res.setHeader('retry-after', String(Math.ceil(verdict.retryAfterMs / 1000)));
      throw slipwayError('LOGIN_THROTTLED', {
        wait: `${Math.ceil(verdict.retryAfterMs / 60_000)} min`,
      });
    }
  }
  const account = deps.instructors.byUsername(body.username);
  const ok = account
    ? await verifyPassword(body.password, account.passwordHash)
    : await verifyAgainstNothing(body.password);
  if (!account || !ok) {
    for (const key of keys) deps.failures.add(key, now);
    deps.logger.warn('instructor login failed', { username: body.username });
    throw slipwayError('LOGIN_FAILED');
  }
  for (const key of keys) deps.failures.clear(key);
  startInstructorSession(req, res, deps.instructors, account.id, deps.cookieSecure);
  sendJson(res, 200, { username: account.username });
  return true;
}
