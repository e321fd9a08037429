/**
 * Who may sign in as an instructor: the members of the configured groups, read from a claim
 * of the ID token or the user info; with no groups configured, anyone the provider signs in
 * (the configuration allows that only while learners do not sign in).
 */
export interface InstructorRule {
  /** A claim name, or a dotted path into an object (`realm_access.roles`). */
  claim: string;
  groups: readonly string[];
}

/**
 * The groups a claim lists. A claim whose own name has dots (`https://example.org/groups`,
 * as some providers namespace theirs) is found first; otherwise the name is a path. A list
 * of strings is the usual form; a single string counts as one group.
 */
export function groupsOf(claims: Record<string, unknown>, claim: string): string[] {
  let value: unknown = claims[claim];
  if (value === undefined && claim.includes('.')) {
    value = claims;
    for (const part of claim.split('.')) {
      value =
        value !== null && typeof value === 'object' && !Array.isArray(value)
          ? (value as Record<string, unknown>)[part]
          : undefined;
    }
  }
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  return [];
}

export type TeachVerdict =
  | { allowed: true }
  | { allowed: false; groups: string[]; why: 'no-groups' | 'not-a-member' };

export function mayTeach(claims: Record<string, unknown>, rule: InstructorRule): TeachVerdict {
  if (rule.groups.length === 0) return { allowed: true };
  const groups = groupsOf(claims, rule.claim);
  if (groups.some((g) => rule.groups.includes(g))) return { allowed: true };
  return { allowed: false, groups, why: groups.length === 0 ? 'no-groups' : 'not-a-member' };
}
