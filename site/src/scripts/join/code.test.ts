import { describe, expect, it } from 'vitest';
import { codeFromQuery, codeProblem, isCompleteCode, nameProblem, normalizeCode } from './code.ts';

describe('join codes', () => {
  it('accept codes as people type them', () => {
    expect(normalizeCode(' abcd-2345 ')).toBe('ABCD2345');
    expect(normalizeCode('abcd 2345')).toBe('ABCD2345');
    expect(isCompleteCode('ABCD2345')).toBe(true);
    expect(isCompleteCode('ABCD234')).toBe(false);
  });

  it('say what is wrong with a code', () => {
    expect(codeProblem('')).toMatch(/Type the join code/);
    expect(codeProblem('ABC')).toBe('A join code has 8 characters; this one has 3.');
    expect(codeProblem('ABCD2345X')).toMatch(/this one has 9/);
    expect(codeProblem('ABCD23#5')).toMatch(/only letters and digits/);
    expect(codeProblem('abcd2345')).toBeUndefined();
  });

  it('come from the join link', () => {
    expect(codeFromQuery('?code=abcd2345')).toBe('ABCD2345');
    expect(codeFromQuery('?x=1')).toBe('');
  });

  it('ask for a name of 1 to 60 characters', () => {
    expect(nameProblem('  ')).toMatch(/type a name/);
    expect(nameProblem('x'.repeat(61))).toMatch(/under 60/);
    expect(nameProblem(' Ada ')).toBeUndefined();
  });
});
