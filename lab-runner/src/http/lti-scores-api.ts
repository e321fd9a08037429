import type { ServerResponse } from 'node:http';
import type { Instructor } from '../accounts/instructor-store.ts';
import type { ClassStore } from '../classes/class-store.ts';
import { slipwayError } from '../errors/catalogue.ts';
import type { LtiStore } from '../lti/lti-store.ts';
import type { ScoreStore } from '../lti/score-store.ts';
import { sendJson } from './responses.ts';

export interface LtiScoresApiDeps {
  classes: ClassStore;
  ltiScores: { contexts: LtiStore; scores: ScoreStore };
}

const ROUTE = /^\/api\/instructor\/classes\/([\w-]{6,40})\/lti\/scores$/;

/**
 * `GET /api/instructor/classes/<id>/lti/scores`: what was sent to the class's LMS gradebook,
 * newest first, with every attempt and the gradebook's answer. Empty for a class that is not
 * an LMS course. Returns false for other paths.
 */
export function handleLtiScoresApi(
  method: string,
  res: ServerResponse,
  path: string,
  me: Instructor,
  deps: LtiScoresApiDeps,
): boolean {
  const m = ROUTE.exec(path);
  if (!m) return false;
  if (method !== 'GET') throw slipwayError('METHOD_NOT_ALLOWED', { method });
  const c = deps.classes.ownedBy(m[1]!, me.id);
  if (!c) throw slipwayError('CLASS_NOT_FOUND');
  const context = deps.ltiScores.contexts.contextOfClass(c.id);
  const names = new Map(deps.classes.members(c.id).map((x) => [x.learnerId, x.displayName]));
  const sends = context ? deps.ltiScores.scores.sendsTo(context) : [];
  sendJson(res, 200, {
    sends: sends.map((s) => ({
      id: s.id,
      learner: { id: s.learnerId, displayName: names.get(s.learnerId) ?? null },
      labId: s.labId,
      scoreGiven: s.scoreGiven,
      scoreMaximum: s.scoreMaximum,
      activityProgress: s.activityProgress,
      status: s.status,
      attempts: deps.ltiScores.scores.attempts(s.id),
    })),
  });
  return true;
}
