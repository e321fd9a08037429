import type { InstructorStore } from '../accounts/instructor-store.ts';
import type { ClassStore } from '../classes/class-store.ts';
import { uniqueUsername } from '../oidc/instructor-name.ts';
import type { SignInStore } from '../progress/sign-in-store.ts';
import type { LtiPlatform } from '../protocol/index.ts';
import type { ContextKey, LtiStore } from './lti-store.ts';

/**
 * The Slipway class of an LMS course: one per platform, deployment and context id, made at
 * the course's first launch with every module of the course. Its owner is an account of the
 * platform's own that cannot log in (`lti-<name>`), so the class exists whoever launches
 * first; the course's instructors teach it (ClassStore.addTeacher) as they launch.
 */
export function classForContext(
  deps: { lti: LtiStore; classes: ClassStore; instructors: InstructorStore; signIns: SignInStore },
  platform: LtiPlatform,
  key: ContextKey,
  title: string | undefined,
  modules: () => string[],
): string {
  const known = deps.lti.classOf(key);
  if (known && deps.classes.byId(known)) {
    if (title) deps.lti.bindContext(key, known, title);
    return known;
  }
  const owner = platformAccount(deps, platform);
  const c = deps.classes.create(
    owner,
    (title ?? `${platform.name} course`).slice(0, 100),
    modules(),
  );
  deps.lti.bindContext(key, c.id, title);
  return c.id;
}

/**
 * The platform's own account, bound to it as a sign-in is to a person (so an instructor who
 * happens to have its name never owns the platform's classes). It has no password.
 */
function platformAccount(
  deps: { instructors: InstructorStore; signIns: SignInStore },
  platform: LtiPlatform,
): string {
  const slug = platform.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  const { instructor } = deps.signIns.signInInstructor(
    { issuer: `lti-platform:${platform.issuer}`, subject: platform.clientId, name: platform.name },
    deps.instructors,
    (taken) => uniqueUsername(`lti-${slug || 'lms'}`, taken),
  );
  return instructor.id;
}
