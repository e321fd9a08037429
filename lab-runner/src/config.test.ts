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
