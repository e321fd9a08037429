import { describe, expect, it } from 'vitest';
import { roleOf } from './roles.ts';

const M = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
const I = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#';

describe('roleOf', () => {
  it('makes course instructors, administrators and designers instructors', () => {
    expect(roleOf([`${M}Instructor`])).toBe('instructor');
    expect(roleOf([`${M}Administrator`])).toBe('instructor');
    expect(roleOf([`${M}ContentDeveloper`])).toBe('instructor');
    expect(roleOf(['Instructor'])).toBe('instructor');
  });

  it('makes learners, and people with no course role, learners', () => {
    expect(roleOf([`${M}Learner`])).toBe('learner');
    expect(roleOf([])).toBe('learner');
    expect(roleOf(['Learner'])).toBe('learner');
  });

  it('never makes an instructor from an institution role alone', () => {
    expect(roleOf([`${I}Instructor`, `${M}Learner`])).toBe('learner');
    expect(roleOf([`${I}Administrator`])).toBe('learner');
  });
});
