import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  hostAllowed,
  normalizeOrigin,
  originAllowed,
  resolveOrigins,
  siteOriginOf,
} from './origins.ts';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('resolveOrigins', () => {
  it('defaults to the listen address (and localhost for loopback), previews on their own port', () => {
    const o = resolveOrigins({ listenHost: '127.0.0.1', sitePort: 4321, previewPort: 4322 });
    expect(o.site).toEqual(['http://127.0.0.1:4321', 'http://localhost:4321']);
    expect([...o.siteHosts]).toEqual(['127.0.0.1:4321', 'localhost:4321']);
    expect(o.previewFor.get('http://localhost:4321')).toBe('http://localhost:4322');
    expect([...o.previewHosts]).toEqual(['127.0.0.1:4322', 'localhost:4322']);
  });

  it('behind a proxy with TLS: the configured origins, plus the listen address as a Host', () => {
    const o = resolveOrigins({
      listenHost: '127.0.0.1',
      sitePort: 4321,
      previewPort: 4322,
      publicOrigin: 'https://Course.Example.org:443/',
      previewOrigin: 'https://preview.course.example.org',
      extraOrigins: ['https://docker.example.org'],
    });
    expect(o.site).toEqual(['https://course.example.org', 'https://docker.example.org']);
    expect(o.previewFor.get('https://docker.example.org')).toBe(
      'https://preview.course.example.org',
    );
    expect(o.siteHosts.has('course.example.org')).toBe(true);
    expect(o.siteHosts.has('127.0.0.1:4321')).toBe(true);
    expect(o.previewHosts.has('preview.course.example.org')).toBe(true);
  });

  it('takes only scheme, host and port as an origin', () => {
    expect(normalizeOrigin('HTTP://A.example:80')).toBe('http://a.example');
    expect(() => normalizeOrigin('https://a.example/path')).toThrow(/no path/);
    expect(() => normalizeOrigin('ftp://a.example')).toThrow(/not an http/);
  });
});

describe('hostAllowed and originAllowed', () => {
  const o = resolveOrigins({ listenHost: '127.0.0.1', sitePort: 4321, previewPort: 4322 });

  it('refuses a Host the site is not reached at (DNS rebinding)', () => {
    expect(hostAllowed(req({ host: '127.0.0.1:4321' }), o.siteHosts)).toBe(true);
    expect(hostAllowed(req({ host: 'LOCALHOST:4321' }), o.siteHosts)).toBe(true);
    expect(hostAllowed(req({ host: 'evil.example:4321' }), o.siteHosts)).toBe(false);
    expect(hostAllowed(req({ host: '127.0.0.1:4322' }), o.siteHosts)).toBe(false);
    expect(hostAllowed(req({}), o.siteHosts)).toBe(false);
  });

  it('takes an Origin only when scheme, host and port all match', () => {
    expect(originAllowed(req({ origin: 'http://127.0.0.1:4321' }), o.site)).toBe(true);
    expect(originAllowed(req({}), o.site)).toBe(true);
    expect(originAllowed(req({ origin: 'https://127.0.0.1:4321' }), o.site)).toBe(false);
    expect(originAllowed(req({ origin: 'http://127.0.0.1:4322' }), o.site)).toBe(false);
    expect(originAllowed(req({ origin: 'http://evil.example:4321' }), o.site)).toBe(false);
    expect(originAllowed(req({ origin: 'null' }), o.site)).toBe(false);
  });

  it('finds the site origin a request came in on', () => {
    expect(siteOriginOf(req({ host: 'localhost:4321' }), o)).toBe('http://localhost:4321');
    expect(siteOriginOf(req({ host: 'other' }), o)).toBe('http://127.0.0.1:4321');
  });
});
