import { describe, expect, it } from 'vitest';
import { curlExample, labelProblem, tokenLine } from './tokens-view.ts';

const now = Date.parse('2026-03-01T12:00:00Z');

describe('the API tokens panel', () => {
  it('asks for a label of sensible length', () => {
    expect(labelProblem('  ')).toMatch(/Name the token/);
    expect(labelProblem('x'.repeat(61))).toMatch(/under 61/);
    expect(labelProblem(' grades sync ')).toBeUndefined();
  });

  it('shows a token by its start and says when it was made and used', () => {
    const t = {
      id: 'tok_1',
      label: 'LMS',
      prefix: 'slw_abcd1234',
      createdAt: '2026-02-27T12:00:00Z',
      lastUsedAt: null,
    };
    expect(tokenLine(t, now)).toEqual({
      label: 'LMS',
      prefix: 'slw_abcd1234…',
      created: 'made 2 days ago',
      used: 'never used',
    });
    expect(tokenLine({ ...t, lastUsedAt: '2026-03-01T11:55:00Z' }, now).used).toBe(
      'used 5 min ago',
    );
  });

  it('offers a first request with the new token', () => {
    expect(curlExample('https://slipway.example', 'slw_x')).toBe(
      'curl -H "Authorization: Bearer slw_x" https://slipway.example/api/v1/classes',
    );
  });
});
