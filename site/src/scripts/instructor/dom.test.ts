import { describe, expect, it } from 'vitest';
import { loginUrl, safeNext } from './dom.ts';

describe('returning after login', () => {
  it('comes back to the page that needed it', () => {
    const url = loginUrl({ pathname: '/instructor/class/', search: '?id=abc_123-x' });
    expect(url).toBe('/instructor/?next=%2Finstructor%2Fclass%2F%3Fid%3Dabc_123-x');
    expect(safeNext(url.slice(url.indexOf('?')))).toBe('/instructor/class/?id=abc_123-x');
  });

  it('never sends anyone to another site or page', () => {
    for (const next of [
      'https://evil.test/',
      '//evil.test/instructor/',
      '/join/',
      'javascript:alert(1)',
      '/instructor/../x',
    ])
      expect(safeNext(`?next=${encodeURIComponent(next)}`)).toBeUndefined();
    expect(safeNext('')).toBeUndefined();
  });
});
