import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig, settings } from './config.ts';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const c = loadConfig({}, '/repo');
    expect(c.port).toBe(4321);
    expect(c.host).toBe('127.0.0.1');
    expect(c.sandboxMemory).toBe(768 * 1024 * 1024);
    expect(c.dataDir).toBe('/repo/.slipway');
    expect(c.secret).toBeUndefined();
    expect(c.cookieSecure).toBe(false);
  });

  it('reads every setting from its env var', () => {
    const c = loadConfig({
      SLIPWAY_PORT: '8080',
      SLIPWAY_SANDBOX_MEMORY: '1g',
      SLIPWAY_ALLOWED_ORIGINS: 'https://a, https://b',
    });
    expect(c.port).toBe(8080);
    expect(c.sandboxMemory).toBe(1024 ** 3);
    expect(c.allowedOrigins).toEqual(['https://a', 'https://b']);
  });

  it('names the env var and the problem', () => {
    expect(() => loadConfig({ SLIPWAY_PORT: 'http', SLIPWAY_INSTANCE: 'Bad Name' })).toThrow(
      'invalid configuration:\nenvironment: SLIPWAY_PORT: expected a number, got a string\nenvironment: SLIPWAY_INSTANCE: must be lowercase letters, digits and dashes',
    );
  });

  it('reads single sign-on settings, with no sign-on by default', () => {
    expect(loadConfig({}).oidc).toBeUndefined();
    const c = loadConfig({
      SLIPWAY_OIDC_ISSUER: 'https://login.example.org/realms/school',
      SLIPWAY_OIDC_CLIENT_ID: 'slipway',
      SLIPWAY_OIDC_CLIENT_SECRET: 's3cret',
      SLIPWAY_OIDC_SCOPES: 'profile groups',
      SLIPWAY_OIDC_INSTRUCTOR_GROUPS: 'staff, teachers',
      SLIPWAY_OIDC_LEARNERS: 'optional',
    });
    expect(c.oidc).toEqual({
      issuer: 'https://login.example.org/realms/school',
      clientId: 'slipway',
      clientSecret: 's3cret',
      name: 'login.example.org',
      scopes: ['openid', 'profile', 'groups'],
      groupsClaim: 'groups',
      instructorGroups: ['staff', 'teachers'],
      learners: 'optional',
    });
  });

  it('refuses single sign-on settings that cannot work or are unsafe', () => {
    const base = {
      SLIPWAY_OIDC_ISSUER: 'https://idp.example',
      SLIPWAY_OIDC_CLIENT_ID: 'slipway',
      SLIPWAY_OIDC_CLIENT_SECRET: 's',
    };
    expect(() => loadConfig({ SLIPWAY_OIDC_ISSUER: 'https://idp.example' })).toThrow(
      'SLIPWAY_OIDC_CLIENT_ID: is required with SLIPWAY_OIDC_ISSUER',
    );
    expect(() => loadConfig({ ...base, SLIPWAY_OIDC_ISSUER: 'http://idp.example' })).toThrow(
      'SLIPWAY_OIDC_ISSUER: must be an https URL (plain http is allowed on a loopback address only)',
    );
    expect(loadConfig({ ...base, SLIPWAY_OIDC_ISSUER: 'http://127.0.0.1:9000' }).oidc?.issuer).toBe(
      'http://127.0.0.1:9000',
    );
    expect(() => loadConfig({ SLIPWAY_OIDC_LEARNERS: 'optional' })).toThrow(
      'SLIPWAY_OIDC_LEARNERS: needs SLIPWAY_OIDC_ISSUER',
    );
    // With learners signing in too, the instructor groups are what keeps them from teaching.
    expect(() => loadConfig({ ...base, SLIPWAY_OIDC_LEARNERS: 'required' })).toThrow(
      'SLIPWAY_OIDC_INSTRUCTOR_GROUPS: is required when learners sign in too',
    );
    expect(() => loadConfig({ ...base, SLIPWAY_OIDC_LEARNERS: 'sometimes' })).toThrow(
      'must be "off", "optional" or "required"',
    );
  });

  it('is documented: the README configuration table lists every setting with its default', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const s of settings) {
      // Column padding is the formatter's business; the cells are what matter.
      const def = s.default.replace(/[()]/g, '\\$&');
      expect(readme, s.env).toMatch(
        new RegExp(`\\|\\s*\`${s.env}\`\\s*\\|\\s*\`?${def}\`?\\s*\\|`),
      );
    }
  });
});
