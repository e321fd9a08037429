import { describe, expect, it } from 'vitest';
import { LEARNER_COOKIE, LearnerCookies, parseCookies } from './learner-cookie.ts';

const cookies = new LearnerCookies({ secret: Buffer.alloc(32, 7), secure: false });

describe('LearnerCookies', () => {
  it('issues an HttpOnly, SameSite cookie that reads back as the same learner', () => {
    const id = cookies.newLearnerId();
    const header = cookies.header(id);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Lax');
    expect(header).not.toContain('Secure');
    const value = header.split(';')[0]!;
    expect(cookies.read(`other=1; ${value}`)).toBe(id);
  });

  it('rejects a forged or altered value', () => {
    const id = cookies.newLearnerId();
    const value = cookies.header(id).split(';')[0]!.split('=')[1]!;
    const [raw, sig] = value.split('.');
    expect(cookies.read(`${LEARNER_COOKIE}=${cookies.newLearnerId()}.${sig}`)).toBeUndefined();
    expect(cookies.read(`${LEARNER_COOKIE}=${raw}.${sig!.slice(0, -2)}xx`)).toBeUndefined();
    expect(cookies.read(`${LEARNER_COOKIE}=${raw}`)).toBeUndefined();
    expect(cookies.read(undefined)).toBeUndefined();
  });

  it('does not accept a cookie signed with another secret', () => {
    const other = new LearnerCookies({ secret: Buffer.alloc(32, 8), secure: true });
    const header = other.header(other.newLearnerId());
    expect(header).toContain('Secure');
    expect(cookies.read(header.split(';')[0])).toBeUndefined();
  });

  it('refuses a short secret', () => {
    expect(() => new LearnerCookies({ secret: Buffer.alloc(8), secure: false })).toThrow(
      /at least 32 bytes/,
    );
  });

  it('parses cookie headers', () => {
    expect(parseCookies('a=1; b = two ;c=')).toEqual({ a: '1', b: 'two', c: '' });
  });
});
