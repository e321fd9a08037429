import { describe, expect, it } from 'vitest';
import { resolveStaticPath } from './static-files.ts';

describe('resolveStaticPath', () => {
  it('maps URL paths into the site folder', () => {
    expect(resolveStaticPath('/site', '/docker-fundamentals/first-containers/')).toBe(
      '/site/docker-fundamentals/first-containers/',
    );
    expect(resolveStaticPath('/site', '/_astro/a.js?v=1')).toBe('/site/_astro/a.js');
  });

  it('never escapes the site folder', () => {
    expect(resolveStaticPath('/site', '/../etc/passwd')).toBeUndefined();
    expect(resolveStaticPath('/site', '/%2e%2e/%2e%2e/etc/passwd')).toBeUndefined();
    expect(resolveStaticPath('/site', '/a/../b')).toBe('/site/b');
    expect(resolveStaticPath('/site', '/..%2f..%2fetc')).toBeUndefined();
    expect(resolveStaticPath('/site', '/a%00b')).toBeUndefined();
    expect(resolveStaticPath('/site', '/%E0%A4%A')).toBeUndefined();
  });
});
