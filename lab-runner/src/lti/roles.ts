/**
 * What an LTI launch's membership roles make a person in Slipway. Context roles (the course's)
 * count, in their full form or the short one the spec allows; institution roles alone never
 * make an instructor, so an institution administrator launching as a student is a learner.
 */
const TEACHING = ['Instructor', 'Administrator', 'ContentDeveloper', 'Mentor'];
const CONTEXT = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';

export type LtiRole = 'instructor' | 'learner';

export function roleOf(roles: readonly string[]): LtiRole {
  const teaches = roles.some((r) => {
    const short = r.startsWith(CONTEXT) ? r.slice(CONTEXT.length) : r;
    return (r.startsWith(CONTEXT) || !r.includes(':')) && TEACHING.includes(short);
  });
  return teaches ? 'instructor' : 'learner';
}
