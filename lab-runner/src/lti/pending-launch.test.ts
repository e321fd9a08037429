import { describe, expect, it } from 'vitest';
import { PendingLaunches } from './pending-launch.ts';

const secret = Buffer.alloc(32, 7);
const p = {
  state: 'state-abcdefghijklmnopqrstuvwxyz',
  nonce: 'n',
  issuer: 'https://lms.example.org',
  clientId: 'c',
  expiresAt: 1,
};

describe('PendingLaunches', () => {
  it('seals a launch into a cookie named by its state, and opens only its own', () => {
    const a = new PendingLaunches(secret);
    const header = a.header(p, p.state, true);
    expect(header).toMatch(/^slipway_lti_state-abcdefghijklmnop=/);
    expect(header).toContain('SameSite=None');
    expect(header).toContain('Secure');
    const value = header.split(';')[0]!.split('=').slice(1).join('=');
    expect(a.open(value)).toEqual(p);
    expect(new PendingLaunches(Buffer.alloc(32, 8)).open(value)).toBeUndefined();
    expect(a.open(`${value}x`)).toBeUndefined();
  });

  it('is SameSite=Lax on plain http, where browsers drop SameSite=None cookies', () => {
    expect(new PendingLaunches(secret).header(p, p.state, false)).toContain('SameSite=Lax');
  });
});
