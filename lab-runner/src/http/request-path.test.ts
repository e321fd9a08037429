import { describe, expect, it } from 'vitest';
import { pathProblem } from './request-path.ts';

describe('pathProblem', () => {
  it('says what is wrong with a malformed path', () => {
    expect(pathProblem('/api/labs/%E0%A4%A')).toBe('the path has a broken %-escape');
    expect(pathProblem('/api/labs/%zz/terminal')).toBe('the path has a broken %-escape');
    expect(pathProblem('/x/%00')).toBe('the path contains a NUL character');
    expect(pathProblem('*')).toBe('the path does not start with "/"');
  });

  it('accepts well-formed paths, whatever their query says', () => {
    expect(pathProblem('/api/labs/first-containers?x=%E0%A4%A')).toBeUndefined();
    expect(pathProblem('/preview/a/80/caf%C3%A9')).toBeUndefined();
  });
});
