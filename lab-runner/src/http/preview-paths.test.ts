import { describe, expect, it } from 'vitest';
import {
  parsePreviewPath,
  rewriteLocation,
  rewriteSetCookie,
  withoutSlipwayCookies,
} from './preview-paths.ts';

describe('parsePreviewPath', () => {
  it('splits lab, port and the path inside the sandbox', () => {
    expect(parsePreviewPath('/preview/ocs-split/3000/d/home?x=1')).toEqual({
      labId: 'ocs-split',
      port: 3000,
      path: '/d/home?x=1',
      prefix: '/preview/ocs-split/3000',
      needsSlash: false,
    });
    expect(parsePreviewPath('/preview/ocs-split/3000')).toMatchObject({
      path: '/',
      needsSlash: true,
    });
  });

  it('refuses what is not a preview of a valid port', () => {
    expect(parsePreviewPath('/previews/x/1/')).toBeUndefined();
    expect(parsePreviewPath('/preview/x/0/')).toBeUndefined();
    expect(parsePreviewPath('/preview/x/70000/')).toBeUndefined();
    expect(parsePreviewPath('/preview/X/80/')).toBeUndefined();
    expect(parsePreviewPath('/preview/x/eighty/')).toBeUndefined();
  });
});

describe('rewriting responses', () => {
  const prefix = '/preview/lab/3000';
  it('keeps redirects inside the preview', () => {
    expect(rewriteLocation('/login?next=/', prefix, '10.0.0.2:3000')).toBe(
      '/preview/lab/3000/login?next=/',
    );
    expect(rewriteLocation('http://10.0.0.2:3000/a', prefix, '10.0.0.2:3000')).toBe(
      '/preview/lab/3000/a',
    );
    expect(rewriteLocation('https://example.org/', prefix, '10.0.0.2:3000')).toBe(
      'https://example.org/',
    );
    expect(rewriteLocation('next', prefix, '10.0.0.2:3000')).toBe('next');
    // An app that honours X-Forwarded-Prefix is not prefixed twice.
    expect(rewriteLocation('/preview/lab/3000/d', prefix, 'h')).toBe('/preview/lab/3000/d');
    expect(rewriteLocation('http://h/preview/lab/3000/d', prefix, 'h')).toBe('/preview/lab/3000/d');
  });

  it('scopes cookies to the preview path and drops their domain', () => {
    expect(rewriteSetCookie('sid=1; Path=/; HttpOnly; Domain=10.0.0.2', prefix)).toBe(
      'sid=1; HttpOnly; Path=/preview/lab/3000/',
    );
    expect(rewriteSetCookie('a=b', prefix)).toBe('a=b; Path=/preview/lab/3000/');
  });

  it('never forwards Slipway’s cookies to the app', () => {
    expect(
      withoutSlipwayCookies(
        'slipway_learner=abc.def; grafana_session=1; slipway_preview_lab=x.y; slipway_instructor=z',
      ),
    ).toBe('grafana_session=1');
    expect(withoutSlipwayCookies('slipway_learner=abc.def')).toBeUndefined();
  });

  it('never lets the app set a cookie with one of Slipway’s names', () => {
    expect(rewriteSetCookie('slipway_learner=forged; Path=/', prefix)).toBeUndefined();
    expect(rewriteSetCookie('SLIPWAY_preview_lab=x', prefix)).toBeUndefined();
  });
});
