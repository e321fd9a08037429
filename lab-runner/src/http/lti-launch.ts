import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWTVerifyGetKey } from 'jose';
import type { Course } from '../../../site/src/build/course.ts';
import type { InstructorStore } from '../accounts/instructor-store.ts';
import type { ClassStore } from '../classes/class-store.ts';
import type { Logger } from '../errors/log.ts';
import type { PlatformServices } from '../lti/ags-client.ts';
import { SCOPE_SCORE } from '../lti/ags-client.ts';
import { classForContext } from '../lti/course-class.ts';
import type { DeepLinkRequests } from '../lti/deep-link.ts';
import { type Launch, LaunchRefusal } from '../lti/launch.ts';
import type { ContextKey, LtiStore } from '../lti/lti-store.ts';
import { importRoster } from '../lti/nrps.ts';
import type { PendingLaunches } from '../lti/pending-launch.ts';
import { roleOf } from '../lti/roles.ts';
import type { LabPlace } from '../lti/score.ts';
import type { ScoreSender } from '../lti/score-sender.ts';
import { launchTarget } from '../lti/target.ts';
import type { ToolKey } from '../lti/tool-key.ts';
import { baseUsername, uniqueUsername } from '../oidc/instructor-name.ts';
import type { Person, SignInStore } from '../progress/sign-in-store.ts';
import {
  isDeepLinking,
  LTI,
  LTI_AGS,
  LTI_NRPS,
  type LtiPlatform,
  type ResourceLinkClaims,
} from '../protocol/index.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import type { Identity } from './identity.ts';
import { startInstructorSession } from './instructor-auth.ts';
import { startDeepLinking } from './lti-deep-link.ts';

export interface LtiRouteDeps {
  /** Undefined when no platform is registered: every LTI route says so. */
  lti:
    | {
        platforms: readonly LtiPlatform[];
        key: ToolKey;
        store: LtiStore;
        services: PlatformServices;
        scores: ScoreSender;
      }
    | undefined;
  pending: PendingLaunches;
  deepLinks: DeepLinkRequests;
  keysOf: (p: LtiPlatform) => JWTVerifyGetKey;
  signIns: SignInStore;
  instructors: InstructorStore;
  classes: ClassStore;
  identity: Identity;
  sessions: SessionManager;
  course: () => Course;
  places: () => ReadonlyMap<string, LabPlace>;
  labTaskCount: (labId: string) => number;
  logger: Logger;
  cookieSecure: boolean;
  /** The site's origin, where platforms send launches back. */
  home: () => string;
}

/** The person behind a launch: LTI subjects are the platform's, kept apart from OIDC ones. */
export const personIssuer = (platform: LtiPlatform) => `lti:${platform.issuer}`;

function personOf(platform: LtiPlatform, claims: Launch['claims']): Person {
  const full = [claims.given_name, claims.family_name].filter(Boolean).join(' ');
  return {
    issuer: personIssuer(platform),
    subject: claims.sub,
    name: (claims.name ?? (full || undefined))?.slice(0, 100),
  };
}

const redirect = (res: ServerResponse, location: string) => {
  res.writeHead(303, { location, 'cache-control': 'no-store', 'content-length': 0 });
  res.end();
};

/** What a verified launch does: a learner lands in the lesson or lab, an instructor in the class. */
export async function launched(
  req: IncomingMessage,
  res: ServerResponse,
  { platform, claims }: Launch,
  deps: LtiRouteDeps,
): Promise<void> {
  const lti = deps.lti!;
  const role = roleOf(claims[`${LTI}roles`]);
  const context = claims[`${LTI}context`];
  const key = {
    issuer: platform.issuer,
    deploymentId: claims[`${LTI}deployment_id`],
    contextId: context.id,
  };
  const person = personOf(platform, claims);
  if (isDeepLinking(claims)) {
    if (role !== 'instructor')
      throw new LaunchRefusal(
        'not-an-instructor',
        'only the course’s instructors can add Slipway activities',
      );
    startDeepLinking(res, platform, claims, deps);
    return;
  }
  const classId = classForContext(
    {
      lti: lti.store,
      classes: deps.classes,
      instructors: deps.instructors,
      signIns: deps.signIns,
    },
    platform,
    key,
    context.title,
    () => deps.course().modules.map((m) => m.slug),
  );
  const nrps = claims[LTI_NRPS]?.context_memberships_url;
  if (nrps) lti.store.setMembershipsUrl(key, nrps);
  if (role === 'instructor') {
    const { instructor, created } = deps.signIns.signInInstructor(
      person,
      deps.instructors,
      (taken) => uniqueUsername(baseUsername({ ...claims, name: person.name }), taken),
    );
    deps.classes.addTeacher(classId, instructor.id);
    startInstructorSession(req, res, deps.instructors, instructor.id, deps.cookieSecure);
    deps.logger.info('LTI instructor launch', {
      platform: platform.name,
      username: instructor.username,
      created,
      classId,
    });
    if (nrps)
      importRoster(
        {
          services: lti.services,
          classes: deps.classes,
          learnerOf: (p) =>
            deps.signIns.learnerOfPerson(p, () => deps.identity.cookies.newLearnerId()),
          logger: deps.logger,
        },
        platform,
        nrps,
        classId,
        personIssuer(platform),
      ).catch((err) =>
        deps.logger.warn('LTI roster not imported', {
          platform: platform.name,
          error: (err as Error).message,
        }),
      );
    redirect(res, `/instructor/class/?id=${encodeURIComponent(classId)}`);
    return;
  }
  learnerLaunched(req, res, platform, claims as ResourceLinkClaims, { key, classId, person }, deps);
}

function learnerLaunched(
  req: IncomingMessage,
  res: ServerResponse,
  platform: LtiPlatform,
  claims: ResourceLinkClaims,
  { key, classId, person }: { key: ContextKey; classId: string; person: Person },
  deps: LtiRouteDeps,
): void {
  const lti = deps.lti!;
  const browser = deps.identity.cookies.read(req.headers.cookie);
  const { learnerId, decision } = deps.signIns.signInLearner(person, browser, () =>
    deps.identity.cookies.newLearnerId(),
  );
  if (learnerId !== browser)
    res.appendHeader('set-cookie', deps.identity.cookies.header(learnerId));
  if (decision.kind === 'merge')
    for (const s of [...deps.sessions.all()])
      if (s.learnerId === decision.from && s.sandboxStatus.kind !== 'none')
        s.reset().catch((err) => deps.logger.error('a merged learner’s sandbox stayed', err));
  if (!deps.classes.isMember(classId, learnerId) || person.name)
    deps.classes.join(classId, learnerId, person.name ?? `Learner ${claims.sub.slice(0, 8)}`);
  const target = launchTarget(
    deps.course(),
    claims[`${LTI}custom`],
    claims[`${LTI}target_link_uri`],
    deps.home(),
  );
  const ags = claims[LTI_AGS];
  if (target.labId && ags?.scope.includes(SCOPE_SCORE) && (ags.lineitem || ags.lineitems)) {
    lti.store.saveTarget({
      ...key,
      learnerId,
      labId: target.labId,
      resourceLinkId: claims[`${LTI}resource_link`].id,
      userId: claims.sub,
      lineitemsUrl: ags.lineitems ?? null,
      lineitemUrl: ags.lineitem ?? null,
      scopes: ags.scope,
    });
    lti.scores.queue(learnerId, target.labId);
  }
  deps.logger.info('LTI learner launch', {
    platform: platform.name,
    decision: decision.kind,
    classId,
    target: target.path,
  });
  redirect(res, target.path);
}
