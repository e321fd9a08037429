import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { originAllowed } from './origin.ts';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('originAllowed', () => {
  it('allows the site’s own origin and requests without one', () => {
    expect(originAllowed(req({ host: '127.0.0.1:4321', origin: 'http://127.0.0.1:4321' }))).toBe(
      true,
    );
    expect(originAllowed(req({ host: '127.0.0.1:4321' }))).toBe(true);
  });

  it('refuses other origins unless configured', () => {
    const r = req({ host: '127.0.0.1:4321', origin: 'http://evil.example' });
    expect(originAllowed(r)).toBe(false);
    expect(originAllowed(r, ['http://evil.example'])).toBe(true);
    expect(originAllowed(req({ host: 'a', origin: 'not a url' }))).toBe(false);
  });
});
