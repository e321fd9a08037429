import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Instructor } from '../accounts/instructor-store.ts';
import type { ClassStore } from '../classes/class-store.ts';
import { slipwayError } from '../errors/catalogue.ts';
import { classSettingsBodySchema } from '../protocol/index.ts';
import { readJson } from './request-body.ts';
import { sendJson } from './responses.ts';

export interface ClassSettingsDeps {
  classes: ClassStore;
  /** Whether a learner can sign in on this site at all (single sign-on offered to learners). */
  learnersCanSignIn: boolean;
}

const SETTINGS = /^\/api\/instructor\/classes\/([\w-]{6,40})\/settings$/;

/** A class that asks for a sign-in no learner can give would be a class nobody can join. */
export function assertLearnersCanSignIn(deps: ClassSettingsDeps): void {
  if (!deps.learnersCanSignIn) throw slipwayError('CLASS_SIGN_IN_UNAVAILABLE');
}

/** `POST /api/instructor/classes/<id>/settings`: whether joining the class needs a sign-in. */
export async function handleClassSettingsApi(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  me: Instructor,
  deps: ClassSettingsDeps,
): Promise<boolean> {
  const m = SETTINGS.exec(path);
  if (!m) return false;
  if (req.method !== 'POST')
    throw slipwayError('METHOD_NOT_ALLOWED', { method: req.method ?? '?' });
  const c = deps.classes.ownedBy(m[1]!, me.id);
  if (!c) throw slipwayError('CLASS_NOT_FOUND');
  const body = await readJson(req, classSettingsBodySchema);
  if (body.requireSignIn) assertLearnersCanSignIn(deps);
  deps.classes.setRequireSignIn(c.id, body.requireSignIn);
  sendJson(res, 200, { requireSignIn: body.requireSignIn });
  return true;
}
