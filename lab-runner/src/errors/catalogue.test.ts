import { describe, expect, it } from 'vitest';
import { asSlipwayError, catalogue, SlipwayError } from './catalogue.ts';

describe('error catalogue', () => {
  it('gives every entry a message and a hint', () => {
    for (const [code, entry] of Object.entries(catalogue)) {
      expect(
        entry.message({
          labId: 'x',
          reason: 'r',
          detail: 'd',
          operation: 'o',
          method: 'PUT',
          limit: '1',
        }),
        code,
      ).not.toBe('');
      expect(entry.hint.length, code).toBeGreaterThan(10);
    }
  });

  it('shows learner errors as they are', () => {
    const e = new SlipwayError('LAB_NOT_FOUND', { labId: 'nope' });
    expect(e.toLearner()).toEqual({
      code: 'LAB_NOT_FOUND',
      message: 'There is no lab called "nope".',
      hint: 'Check the link, or open the lab from its lesson.',
    });
  });

  it('never shows a system error’s details to a learner', () => {
    const e = asSlipwayError(new Error('ECONNRESET at /var/lib/secret/path'));
    expect(e.audience).toBe('system');
    expect(JSON.stringify(e.toLearner())).not.toContain('secret');
  });
});
