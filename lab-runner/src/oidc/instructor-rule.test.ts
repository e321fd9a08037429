import { describe, expect, it } from 'vitest';
import { groupsOf, mayTeach } from './instructor-rule.ts';

describe('groupsOf', () => {
  it('reads a list, a single string, a dotted path and a namespaced claim', () => {
    expect(groupsOf({ groups: ['staff', 'teachers'] }, 'groups')).toEqual(['staff', 'teachers']);
    expect(groupsOf({ groups: 'staff' }, 'groups')).toEqual(['staff']);
    expect(groupsOf({ realm_access: { roles: ['teacher'] } }, 'realm_access.roles')).toEqual([
      'teacher',
    ]);
    expect(groupsOf({ 'https://slipway/groups': ['staff'] }, 'https://slipway/groups')).toEqual([
      'staff',
    ]);
  });

  it('finds nothing in a missing claim or one of another shape', () => {
    expect(groupsOf({}, 'groups')).toEqual([]);
    expect(groupsOf({ groups: { staff: true } }, 'groups')).toEqual([]);
    expect(groupsOf({ groups: [1, 'staff', null] }, 'groups')).toEqual(['staff']);
    expect(groupsOf({ realm_access: ['teacher'] }, 'realm_access.roles')).toEqual([]);
  });
});

describe('mayTeach', () => {
  const rule = { claim: 'groups', groups: ['staff'] };

  it('lets a member of one of the groups teach', () => {
    expect(mayTeach({ groups: ['students', 'staff'] }, rule)).toEqual({ allowed: true });
  });

  it('refuses someone in no listed group, saying which groups they have', () => {
    expect(mayTeach({ groups: ['students'] }, rule)).toEqual({
      allowed: false,
      groups: ['students'],
      why: 'not-a-member',
    });
    expect(mayTeach({}, rule)).toEqual({ allowed: false, groups: [], why: 'no-groups' });
    // Group names are compared exactly.
    expect(mayTeach({ groups: ['Staff'] }, rule).allowed).toBe(false);
  });

  it('lets anyone teach when no groups are configured', () => {
    expect(mayTeach({}, { claim: 'groups', groups: [] })).toEqual({ allowed: true });
  });
});
