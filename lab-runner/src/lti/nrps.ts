import type { ClassStore } from '../classes/class-store.ts';
import type { Logger } from '../errors/log.ts';
import {
  friendlyParse,
  type LtiPlatform,
  membershipContainerSchema,
  membershipSchema,
} from '../protocol/index.ts';
import { type PlatformServices, SCOPE_NRPS } from './ags-client.ts';
import { roleOf } from './roles.ts';

export interface RosterDeps {
  services: PlatformServices;
  classes: ClassStore;
  /** The learner of a person at the platform, made (with no browser yet) when new. */
  learnerOf: (person: { issuer: string; subject: string; name: string | undefined }) => string;
  logger: Logger;
}

/** Pages followed at most: 100 pages of a platform's default size is a very large course. */
const MAX_PAGES = 100;

/**
 * Names and Role Provisioning: the course's active learners from the platform's memberships
 * container become members of its class, with their names, before they ever launch; each is
 * the learner their first launch finds (the same person). Instructors are not added. Returns
 * how many learners the roster has.
 */
export async function importRoster(
  deps: RosterDeps,
  platform: LtiPlatform,
  membershipsUrl: string,
  classId: string,
  personIssuer: string,
): Promise<number> {
  let url: string | undefined = membershipsUrl;
  let count = 0;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const { body, next } = await fetchPage(deps.services, platform, url);
    const container = friendlyParse(membershipContainerSchema, body);
    if (!container.ok) throw new Error(`${platform.name}'s roster is not a memberships container`);
    for (const raw of container.value.members) {
      const m = friendlyParse(membershipSchema, raw);
      if (!m.ok || (m.value.status && m.value.status !== 'Active')) continue;
      if (roleOf(m.value.roles) !== 'learner') continue;
      const name = m.value.name?.slice(0, 100);
      const learnerId = deps.learnerOf({ issuer: personIssuer, subject: m.value.user_id, name });
      if (!deps.classes.isMember(classId, learnerId))
        deps.classes.join(classId, learnerId, name || `Learner ${m.value.user_id.slice(0, 8)}`);
      count++;
    }
    // The token goes only where the roster is: a next page elsewhere is not followed.
    url = next && new URL(next).origin === new URL(membershipsUrl).origin ? next : undefined;
  }
  deps.logger.info('LTI roster imported', { platform: platform.name, classId, learners: count });
  return count;
}

async function fetchPage(
  services: PlatformServices,
  platform: LtiPlatform,
  url: string,
): Promise<{ body: unknown; next: string | undefined }> {
  let next: string | undefined;
  const body = await services.call(platform, [SCOPE_NRPS], url, {
    accept: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json',
    onHeaders: (h) => {
      next = /<([^>]+)>;\s*rel="next"/.exec(h.get('link') ?? '')?.[1];
    },
  });
  return { body, next };
}
