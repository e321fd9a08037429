import { describe, expect, it } from 'vitest';
import { feedbackView, type QuestionStatus, unreachableMessage } from './feedback.ts';

const status = (over: Partial<QuestionStatus['last']>, done = false): QuestionStatus => ({
  done,
  attempts: 1,
  last: {
    choice: 0,
    answer: 'A',
    at: '2026-12-07T10:00:00.000Z',
    feedback: { correct: false, explanation: 'Not A.', correctChoice: 1 },
    ...over,
  },
});

describe('feedbackView', () => {
  it('marks the picked option and the right one after a wrong choice', () => {
    expect(feedbackView(status({}), false)).toEqual({
      result: 'wrong',
      headline: 'Not quite.',
      explanation: 'Not A.',
      chosen: 0,
      correctChoice: 1,
    });
  });

  it('says an earlier right answer still counts, and that the answer is from before', () => {
    const v = feedbackView(status({}, true), true);
    expect(v.headline).toBe('Not quite (you answered this correctly before).');
    expect(v.earlier).toBe('You answered this before; your last answer is marked.');
  });

  it('shows an accepted answer after a wrong typed one, not after a right one', () => {
    const wrong = status({
      choice: null,
      answer: 'host',
      feedback: { correct: false, explanation: 'Why.', accepted: 'bridge' },
    });
    expect(feedbackView(wrong, true)).toMatchObject({
      accepted: 'bridge',
      earlier: 'Your last answer: “host”.',
    });
    const right = status({
      choice: null,
      answer: 'Bridge',
      feedback: { correct: true, explanation: 'Why.', accepted: 'bridge' },
    });
    expect(feedbackView(right, false)).toEqual({
      result: 'right',
      headline: 'Right.',
      explanation: 'Why.',
    });
  });
});

describe('unreachableMessage', () => {
  it('says plainly when there is no lab service, and passes the runner’s words on', () => {
    expect(unreachableMessage(undefined)).toMatch(
      /^Your answer could not be checked: the lab service does not answer/,
    );
    expect(unreachableMessage(502)).toMatch(/does not answer/);
    expect(unreachableMessage(429, 'Too many.')).toBe('Too many.');
  });
});
