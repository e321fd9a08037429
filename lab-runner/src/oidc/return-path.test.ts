import { describe, expect, it } from 'vitest';
import { defaultReturn, safeReturnPath } from './return-path.ts';

describe('safeReturnPath', () => {
  it('keeps a path on this site with its query and fragment', () => {
    expect(safeReturnPath('/join/?code=ABCD2345')).toBe('/join/?code=ABCD2345');
    expect(safeReturnPath('/docker-fundamentals/images/#lab')).toBe(
      '/docker-fundamentals/images/#lab',
    );
    expect(safeReturnPath('/instructor/class/?id=abc')).toBe('/instructor/class/?id=abc');
  });

  it('normalises dot segments, staying on the site', () => {
    expect(safeReturnPath('/a/../b/')).toBe('/b/');
    expect(safeReturnPath('/../../etc')).toBe('/etc');
  });

  it('refuses anything a browser would take to another host', () => {
    for (const bad of [
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/%0a/x\n',
      'javascript:alert(1)',
      'evil.example',
      ' /x',
    ])
      expect(safeReturnPath(bad), bad).toBeUndefined();
  });

  it('refuses the sign-in routes and the API, empty and oversized values', () => {
    expect(safeReturnPath('/auth/oidc/login?role=learner')).toBeUndefined();
    expect(safeReturnPath('/api/progress')).toBeUndefined();
    expect(safeReturnPath('')).toBeUndefined();
    expect(safeReturnPath(null)).toBeUndefined();
    expect(safeReturnPath(`/${'a'.repeat(2000)}`)).toBeUndefined();
  });

  it('sends instructors to their dashboard and learners to the course by default', () => {
    expect(defaultReturn('instructor')).toBe('/instructor/');
    expect(defaultReturn('learner')).toBe('/');
  });
});
