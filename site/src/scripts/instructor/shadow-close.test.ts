import { describe, expect, it } from 'vitest';
import { shadowCloseText } from './shadow-close.ts';

describe('shadowCloseText', () => {
  it('says when the learner has no terminal in that lab', () => {
    expect(shadowCloseText(4404, 'This learner has no terminal open in that lab.')).toEqual({
      state: 'unavailable',
      text: 'This learner has no terminal open in that lab.',
    });
    expect(shadowCloseText(4404, '').state).toBe('unavailable');
  });

  it('says when the connection was lost', () => {
    expect(shadowCloseText(1006, '')).toEqual({
      state: 'error',
      text: 'Lost the connection to the lab service.',
    });
    expect(shadowCloseText(4401, '').text).toBe('Please log in as an instructor.');
  });
});
