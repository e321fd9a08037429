import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { ApiTokenStore } from '../accounts/api-token-store.ts';
import type { Instructor } from '../accounts/instructor-store.ts';
import { labsFor } from '../classes/class-labs.ts';
import { slipwayError } from '../errors/catalogue.ts';
import {
  apiClassListSchema,
  apiLearnerDetailSchema,
  apiPageQuerySchema,
  apiProgressPageSchema,
  friendlyParse,
  openApiDocument,
} from '../protocol/index.ts';
import { type ClassViewDeps, classQuestions, learnerRow } from './class-view.ts';
import { decodeCursor, encodeCursor, pageOf } from './page-cursor.ts';
import { learnerDetail, learnerProgress } from './read-api-view.ts';
import { sendJson } from './responses.ts';

export interface ReadApiDeps extends ClassViewDeps {
  tokens: ApiTokenStore;
}

/** The document never changes while the runner runs. */
let openApiJson: string | undefined;

const CLASS = /^\/api\/v1\/classes\/([\w-]{6,40})\/(?:(progress)|learners\/([\w-]{16,64}))$/;

/** The answer always has the documented shape: what the schema does not name is not sent. */
const send = <S extends z.ZodType>(res: ServerResponse, schema: S, body: z.input<S>) =>
  sendJson(res, 200, schema.parse(body));

function bearer(req: IncomingMessage, tokens: ApiTokenStore): Instructor {
  const m = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '');
  const me = m ? tokens.authenticate(m[1]!) : undefined;
  if (me) return me;
  throw slipwayError('API_TOKEN_INVALID');
}

function pageQuery(url: URL) {
  const parsed = friendlyParse(apiPageQuerySchema, Object.fromEntries(url.searchParams));
  if (!parsed.ok)
    throw slipwayError('BAD_REQUEST', {
      detail: parsed.problems
        .map((p) => (p.field ? `${p.field}: ${p.expected}` : p.expected))
        .join('; '),
    });
  return parsed.value;
}

/**
 * The read API under /api/v1/: an instructor's classes and their learners' progress, for a
 * bearer token of theirs (no cookie counts, so no page can make a browser call it). Another
 * instructor's class looks exactly like one that does not exist.
 */
export function handleReadApi(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: ReadApiDeps,
): boolean {
  const path = url.pathname;
  if (!path.startsWith('/api/v1/')) return false;
  if (req.method !== 'GET') throw slipwayError('METHOD_NOT_ALLOWED', { method: req.method ?? '?' });
  if (path === '/api/v1/openapi.json') {
    openApiJson ??= JSON.stringify(openApiDocument());
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-cache',
    });
    res.end(openApiJson);
    return true;
  }

  res.setHeader('www-authenticate', 'Bearer realm="slipway"');
  const me = bearer(req, deps.tokens);
  res.removeHeader('www-authenticate');
  if (path === '/api/v1/classes')
    return send(res, apiClassListSchema, {
      classes: deps.classes.listFor(me.id).map((c) => ({
        id: c.id,
        name: c.name,
        modules: c.modules,
        createdAt: c.createdAt,
        members: deps.classes.members(c.id).length,
      })),
    });

  const m = CLASS.exec(path);
  const c = m ? deps.classes.ownedBy(m[1]!, me.id) : undefined;
  if (!m || !c) throw slipwayError(m ? 'CLASS_NOT_FOUND' : 'NOT_FOUND');
  const labs = labsFor(c.modules, deps.outline());
  const questions = classQuestions(deps, c);
  const now = Date.now();
  const members = deps.classes.members(c.id);
  const learnerId = m[3];
  if (learnerId) {
    const member = members.find((x) => x.learnerId === learnerId);
    if (!member) throw slipwayError('LEARNER_NOT_FOUND');
    return send(
      res,
      apiLearnerDetailSchema,
      learnerDetail(learnerRow(deps, labs, member, now, questions), labs),
    );
  }
  const query = pageQuery(url);
  const after = query.cursor === undefined ? undefined : decodeCursor(c.id, query.cursor);
  const page = pageOf(members, (x) => x.learnerId, after, query.limit);
  return send(res, apiProgressPageSchema, {
    classId: c.id,
    learners: page.items.map((x) =>
      learnerProgress(learnerRow(deps, labs, x, now, questions), labs),
    ),
    nextCursor: page.next === null ? null : encodeCursor(c.id, page.next),
  });
}
