import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClassStore } from '../classes/class-store.ts';
import { slipwayError } from '../errors/catalogue.ts';
import type { EventBus } from '../events/event-bus.ts';
import { joinBodySchema } from '../protocol/index.ts';
import type { Joined, JoinLookup, LearnerClasses } from '../protocol/instructor-views.ts';
import type { Identity } from './identity.ts';
import { readJson } from './request-body.ts';
import { sendJson } from './responses.ts';

const JOIN_CODE = /^\/api\/join\/([A-Za-z0-9]{8})$/;

/** Learners joining classes: look a code up, join with a display name, list their classes. */
export async function handleJoinApi(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: {
    classes: ClassStore;
    identity: Identity;
    bus: EventBus;
    /** Whether this learner signed in (single sign-on or an LMS launch). */
    signedIn: (learnerId: string) => boolean;
  },
): Promise<boolean> {
  if (path === '/api/me' && req.method === 'GET') {
    const learnerId = deps.identity.read(req);
    const mine: LearnerClasses = { classes: learnerId ? deps.classes.classesOf(learnerId) : [] };
    sendJson(res, 200, mine);
    return true;
  }
  if (path === '/api/join' && req.method === 'POST') {
    const body = await readJson(req, joinBodySchema);
    const c = deps.classes.byJoinCode(body.code);
    if (!c) throw slipwayError('CLASS_NOT_FOUND');
    if (c.requireSignIn) {
      const known = deps.identity.read(req);
      if (!known || !deps.signedIn(known)) throw slipwayError('CLASS_NEEDS_SIGN_IN');
    }
    // The learner keeps their id, so everything they did before joining comes with them.
    const learnerId = deps.identity.ensure(req, res);
    deps.classes.join(c.id, learnerId, body.displayName);
    deps.bus.publish({
      kind: 'joined',
      learnerId,
      classId: c.id,
      displayName: body.displayName,
      at: new Date().toISOString(),
    });
    const joined: Joined = { classId: c.id, name: c.name, displayName: body.displayName };
    sendJson(res, 200, joined);
    return true;
  }
  const m = JOIN_CODE.exec(path);
  if (m && req.method === 'GET') {
    const c = deps.classes.byJoinCode(m[1]!);
    if (!c) throw slipwayError('CLASS_NOT_FOUND');
    const lookup: JoinLookup = { name: c.name, requireSignIn: c.requireSignIn };
    sendJson(res, 200, lookup);
    return true;
  }
  return false;
}
