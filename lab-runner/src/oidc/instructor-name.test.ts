import { describe, expect, it } from 'vitest';
import { baseUsername, uniqueUsername } from './instructor-name.ts';

describe('instructor usernames from the provider', () => {
  it('prefers preferred_username, then e-mail, then name', () => {
    expect(baseUsername({ preferred_username: 'ada', email: 'ada@example.org' })).toBe('ada');
    expect(baseUsername({ email: 'ada@example.org', name: 'Ada L.' })).toBe('ada@example.org');
    expect(baseUsername({ name: ' Ada L. ' })).toBe('Ada L.');
    expect(baseUsername({ preferred_username: '\u0007', sub: 'x' })).toBe('instructor');
    expect(baseUsername({ name: 'x'.repeat(200) })).toHaveLength(60);
  });

  it('never reuses a name an account already has', () => {
    const taken = new Set(['ada', 'ada-2']);
    expect(uniqueUsername('ada', (n) => taken.has(n))).toBe('ada-3');
    expect(uniqueUsername('grace', (n) => taken.has(n))).toBe('grace');
  });
});
