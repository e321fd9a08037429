import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClassStore } from '../classes/class-store.ts';
import { slipwayError } from '../errors/catalogue.ts';
import type { Logger } from '../errors/log.ts';
import type { Lab, LoadedLabs } from '../labs/load-labs.ts';
import type { ProgressStore } from '../progress/progress-store.ts';
import { handleQuestionsApi, type QuestionsApiDeps } from '../questions/questions-api.ts';
import type { SandboxProvider } from '../sandbox/provider.ts';
import { ownedSandboxes } from '../sessions/owned-sandboxes.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import type { Identity } from './identity.ts';
import { handleInstructorApi, type InstructorApiDeps } from './instructor-api.ts';
import { handleJoinApi } from './join-api.ts';
import { type Origins, originAllowed } from './origins.ts';
import { handleReadApi } from './read-api.ts';
import { sendError, sendJson } from './responses.ts';

export interface ApiDeps {
  labs: LoadedLabs;
  store: ProgressStore;
  classes: ClassStore;
  instructorApi: InstructorApiDeps;
  questionsApi: QuestionsApiDeps;
  sessions: SessionManager;
  provider: SandboxProvider;
  identity: Identity;
  /** Whether a learner signed in (single sign-on or an LMS launch): some classes ask for it. */
  signedIn: (learnerId: string) => boolean;
  logger: Logger;
  /** Where the site and its previews are reached; known once the servers listen. */
  origins: () => Origins;
}

/**
 * What the sidebar and the course overview show: labs done (tasks) and lessons read. Someone
 * who has not acted yet (no learner) has done nothing.
 */
export function progressSummary(
  deps: Pick<ApiDeps, 'labs' | 'store'>,
  learnerId: string | undefined,
) {
  const done = new Map<string, Set<string>>();
  const lastCompletion = new Map<string, string>();
  for (const c of learnerId ? deps.store.allCompletions(learnerId) : []) {
    if (!done.has(c.labId)) done.set(c.labId, new Set());
    done.get(c.labId)!.add(c.taskId);
    lastCompletion.set(c.labId, c.completedAt);
  }
  const labs: Record<string, { done: number; total: number; completedAt?: string }> = {};
  for (const lab of deps.labs.labs.values()) {
    const finished = lab.tasks.filter((t) => done.get(lab.id)?.has(t.id)).length;
    labs[lab.id] = {
      done: finished,
      total: lab.tasks.length,
      ...(finished === lab.tasks.length ? { completedAt: lastCompletion.get(lab.id) } : {}),
    };
  }
  const lessons: Record<string, string> = {};
  for (const v of learnerId ? deps.store.lessonViews(learnerId) : [])
    lessons[v.lessonId] = v.viewedAt;
  return { labs, lessons };
}

/** Looks up a lab by id, or throws the learner-facing reason it cannot be used. */
export function findLab(labs: LoadedLabs, id: string): Lab {
  const lab = labs.labs.get(id);
  if (lab) return lab;
  if (labs.failures.some((f) => f.id === id)) throw slipwayError('LAB_UNAVAILABLE', { labId: id });
  throw slipwayError('LAB_NOT_FOUND', { labId: id });
}

const LAB_ROUTE = /^\/api\/labs\/([^/]+)(\/reset)?\/?$/;
/** Lesson ids are the lesson's URL path, e.g. `docker-fundamentals/images-and-containers`. */
const LESSON_VIEWED_ROUTE = /^\/api\/lessons\/([a-z0-9-]+(?:\/[a-z0-9-]+){0,5})\/viewed$/;

/** The JSON API under /api. Returns false when the path is not an API path. */
export async function handleApi(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ApiDeps,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://x');
  if (!url.pathname.startsWith('/api/')) return false;
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD' && !originAllowed(req, deps.origins().site))
      throw slipwayError('FORBIDDEN_ORIGIN');
    if (url.pathname === '/api/health') {
      const engine = await deps.provider.ping({ timeoutMs: 3_000 }).then(
        () => 'up',
        () => 'down',
      );
      sendJson(res, engine === 'up' ? 200 : 503, {
        ok: engine === 'up',
        engine,
        labs: deps.labs.labs.size,
        brokenLabs: deps.labs.failures.map((f) => ({ id: f.id, file: f.file })),
      });
      return true;
    }
    if (url.pathname === '/api/labs' && req.method === 'GET') {
      sendJson(res, 200, {
        labs: [...deps.labs.labs.values()].map((l) => ({
          id: l.id,
          title: l.title,
          tasks: l.tasks.length,
        })),
        unavailable: deps.labs.failures.map((f) => ({ id: f.id, file: f.file })),
      });
      return true;
    }
    if (handleReadApi(req, res, url, deps.instructorApi)) return true;
    if (await handleInstructorApi(req, res, url.pathname, deps.instructorApi)) return true;
    if (await handleJoinApi(req, res, url.pathname, { ...deps, bus: deps.instructorApi.bus }))
      return true;
    if (await handleQuestionsApi(req, res, url.pathname, deps.questionsApi)) return true;
    if (url.pathname === '/api/learner') {
      if (req.method !== 'POST')
        throw slipwayError('METHOD_NOT_ALLOWED', { method: req.method ?? '?' });
      deps.identity.ensure(req, res);
      sendJson(res, 200, { ok: true });
      return true;
    }
    if (url.pathname === '/api/progress' && req.method === 'GET') {
      const learnerId = deps.identity.read(req);
      sendJson(res, 200, progressSummary(deps, learnerId));
      return true;
    }
    const viewed = LESSON_VIEWED_ROUTE.exec(url.pathname);
    if (viewed) {
      if (req.method !== 'POST')
        throw slipwayError('METHOD_NOT_ALLOWED', { method: req.method ?? '?' });
      const learnerId = deps.identity.ensure(req, res);
      deps.store.markLessonViewed(learnerId, viewed[1]!);
      sendJson(res, 200, { ok: true });
      return true;
    }
    const m = LAB_ROUTE.exec(url.pathname);
    if (m) {
      const lab = findLab(deps.labs, decodeURIComponent(m[1]!));
      const learnerId = deps.identity.read(req);
      if (m[2] === '/reset') {
        if (req.method !== 'POST')
          throw slipwayError('METHOD_NOT_ALLOWED', { method: req.method ?? '?' });
        // Someone with no learner yet has no sandbox to reset.
        if (learnerId) await deps.sessions.get(learnerId, lab).reset();
        sendJson(res, 200, { ok: true });
        return true;
      }
      if (req.method !== 'GET')
        throw slipwayError('METHOD_NOT_ALLOWED', { method: req.method ?? '?' });
      if (!learnerId) {
        sendJson(res, 200, {
          id: lab.id,
          title: lab.title,
          learner: false,
          tasks: lab.tasks.map((t) => ({ id: t.id, title: t.title })),
          progress: lab.tasks.map((t) => ({ id: t.id, state: 'pending' })),
          sandbox: { state: 'none', exists: false },
        });
        return true;
      }
      const session = deps.sessions.get(learnerId, lab);
      const status = session.statusMessage();
      const existing = await ownedSandboxes(deps.provider, deps.store, learnerId, lab.id).catch(
        () => [],
      );
      sendJson(res, 200, {
        id: lab.id,
        title: lab.title,
        learner: true,
        tasks: lab.tasks.map((t) => ({ id: t.id, title: t.title })),
        progress: session.taskStatuses(),
        sandbox: {
          state: session.sandboxStatus.kind,
          // A sandbox from before a runner restart counts: opening the lab adopts it.
          exists: existing.some((s) => s.state === 'running'),
          ...(status.type === 'status' ? { phase: status.phase, message: status.message } : {}),
        },
      });
      return true;
    }
    throw slipwayError('NOT_FOUND');
  } catch (err) {
    sendError(res, err, deps.logger, { path: url.pathname });
  }
  return true;
}
