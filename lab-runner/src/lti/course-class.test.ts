import { describe, expect, it } from 'vitest';
import { InstructorStore } from '../accounts/instructor-store.ts';
import { ClassStore } from '../classes/class-store.ts';
import { openDatabase } from '../progress/database.ts';
import { SignInStore } from '../progress/sign-in-store.ts';
import type { LtiPlatform } from '../protocol/index.ts';
import { classForContext } from './course-class.ts';
import { LtiStore } from './lti-store.ts';

const platform = {
  name: 'School Moodle',
  issuer: 'https://m.example.org',
  clientId: 'c',
} as LtiPlatform;

function setup() {
  const db = openDatabase(':memory:');
  const deps = {
    lti: new LtiStore(db),
    classes: new ClassStore(db),
    instructors: new InstructorStore(db),
    signIns: new SignInStore(db),
  };
  const key = (contextId: string, deploymentId = '1') => ({
    issuer: platform.issuer,
    deploymentId,
    contextId,
  });
  const classOf = (k: ReturnType<typeof key>, title?: string) =>
    classForContext(deps, platform, k, title, () => ['basics']);
  return { deps, key, classOf };
}

describe('classForContext', () => {
  it('makes one class per course, owned by the platform’s own account', () => {
    const { deps, key, classOf } = setup();
    // Someone with the account's name is not the platform.
    const namesake = deps.instructors.create('lti-school-moodle', 'x');
    const a = classOf(key('c1'), 'Docker 101');
    expect(classOf(key('c1'))).toBe(a);
    expect(classOf(key('c2'))).not.toBe(a);
    expect(classOf(key('c1', '2'))).not.toBe(a);
    const c = deps.classes.byId(a)!;
    expect(c).toMatchObject({ name: 'Docker 101', modules: ['basics'] });
    expect(c.instructorId).not.toBe(namesake.id);
    expect(deps.instructors.byUsername('lti-school-moodle-2')?.id).toBe(c.instructorId);
  });

  it('lets the course’s instructors, and no others, see the class', () => {
    const { deps, key, classOf } = setup();
    const id = classOf(key('c1'), 'Docker 101');
    const ivan = deps.instructors.create('ivan', 'x');
    const other = deps.instructors.create('olga', 'x');
    deps.classes.addTeacher(id, ivan.id);
    deps.classes.addTeacher(id, ivan.id);
    expect(deps.classes.ownedBy(id, ivan.id)?.id).toBe(id);
    expect(deps.classes.listFor(ivan.id).map((c) => c.id)).toEqual([id]);
    expect(deps.classes.ownedBy(id, other.id)).toBeUndefined();
    expect(deps.classes.listFor(other.id)).toEqual([]);
  });
});
