import { describe, expect, it } from 'vitest';
import { openDatabase } from '../progress/database.ts';
import { ApiTokenStore, hashApiToken } from './api-token-store.ts';
import { InstructorStore } from './instructor-store.ts';

function setup() {
  const db = openDatabase(':memory:');
  const instructors = new InstructorStore(db);
  return {
    db,
    tokens: new ApiTokenStore(db),
    wanda: instructors.create('wanda', 'x'),
    otto: instructors.create('otto', 'x'),
  };
}

describe('API tokens', () => {
  it('keeps only a hash and a display prefix, and finds the owner by the token', () => {
    const { db, tokens, wanda } = setup();
    const { token, info } = tokens.create(wanda.id, 'LMS sync');
    expect(token).toMatch(/^slw_[\w-]{43}$/);
    expect(info).toMatchObject({ label: 'LMS sync', lastUsedAt: null });
    expect(token.startsWith(info.prefix)).toBe(true);
    expect(info.prefix).toHaveLength(12);
    const stored = JSON.stringify(db.prepare('SELECT * FROM api_tokens').all());
    expect(stored).not.toContain(token);
    expect(stored).toContain(hashApiToken(token));
    expect(tokens.authenticate(token)).toEqual(wanda);
  });

  it('refuses a token that is wrong, altered or not one of ours', () => {
    const { tokens, wanda } = setup();
    const { token } = tokens.create(wanda.id, 'a');
    expect(tokens.authenticate(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBe(
      undefined,
    );
    expect(tokens.authenticate(token.slice(4))).toBe(undefined);
    expect(tokens.authenticate('')).toBe(undefined);
    expect(tokens.authenticate(`${token}${'x'.repeat(100)}`)).toBe(undefined);
  });

  it('notes when a token was last used, at most once a minute', () => {
    const { tokens, wanda } = setup();
    const { token, info } = tokens.create(wanda.id, 'a', new Date('2026-01-01T10:00:00Z'));
    tokens.authenticate(token, new Date('2026-01-01T10:05:00Z'));
    tokens.authenticate(token, new Date('2026-01-01T10:05:30Z'));
    expect(tokens.list(wanda.id)[0]).toMatchObject({
      id: info.id,
      lastUsedAt: '2026-01-01T10:05:00.000Z',
    });
    tokens.authenticate(token, new Date('2026-01-01T10:06:00Z'));
    expect(tokens.list(wanda.id)[0]!.lastUsedAt).toBe('2026-01-01T10:06:00.000Z');
  });

  it('lists an instructor’s own live tokens, newest first; a revoked one stops working', () => {
    const { tokens, wanda, otto } = setup();
    const first = tokens.create(wanda.id, 'first', new Date('2026-01-01T10:00:00Z'));
    const second = tokens.create(wanda.id, 'second', new Date('2026-01-02T10:00:00Z'));
    tokens.create(otto.id, 'otto’s');
    expect(tokens.list(wanda.id).map((t) => t.label)).toEqual(['second', 'first']);

    expect(tokens.revoke(otto.id, first.info.id)).toBe(false);
    expect(tokens.authenticate(first.token)).toEqual(wanda);
    expect(tokens.revoke(wanda.id, first.info.id)).toBe(true);
    expect(tokens.revoke(wanda.id, first.info.id)).toBe(false);
    expect(tokens.authenticate(first.token)).toBe(undefined);
    expect(tokens.authenticate(second.token)).toEqual(wanda);
    expect(tokens.list(wanda.id).map((t) => t.label)).toEqual(['second']);
  });
});
