import { describe, expect, it } from 'vitest';
import type { Question } from '../protocol/index.ts';
import { feedbackFor, grade, normaliseAnswer } from './grade.ts';

const choice: Question = {
  id: 'c',
  kind: 'choice',
  prompt: 'P',
  options: [
    { text: 'A', correct: false, explanation: 'Not A because.' },
    { text: 'B', correct: true, explanation: 'B because.' },
  ],
};
const short: Question = {
  id: 's',
  kind: 'short',
  prompt: 'P',
  answers: ['docker compose up -d', 'Bridge'],
  explanation: 'Why.',
};

describe('normaliseAnswer', () => {
  it('ignores case and spaces around and between words', () => {
    expect(normaliseAnswer('  Docker   Compose\tUP -d ')).toBe('docker compose up -d');
    expect(normaliseAnswer('ｂｒｉｄｇｅ')).toBe('bridge');
  });
});

describe('grade', () => {
  it('grades a choice by the option picked and explains that option', () => {
    expect(grade(choice, { choice: 0 })).toEqual({
      ok: true,
      given: { choice: 0, answer: 'A' },
      feedback: { correct: false, explanation: 'Not A because.', correctChoice: 1 },
    });
    const right = grade(choice, { choice: 1 });
    expect(right.ok && right.feedback.correct).toBe(true);
  });

  it('grades typed answers after normalising both sides', () => {
    const g = grade(short, { text: ' bridge ' });
    expect(g).toEqual({
      ok: true,
      given: { choice: null, answer: 'bridge' },
      feedback: { correct: true, explanation: 'Why.', accepted: 'docker compose up -d' },
    });
    const wrong = grade(short, { text: 'docker compose up' });
    expect(wrong.ok && wrong.feedback.correct).toBe(false);
  });

  it('refuses an answer of the wrong kind or out of range', () => {
    expect(grade(choice, { text: 'B' })).toEqual({
      ok: false,
      problem: 'this question takes "choice", the number of an option',
    });
    expect(grade(choice, { choice: 2 })).toEqual({
      ok: false,
      problem: 'this question has 2 options',
    });
    expect(grade(short, { choice: 0 }).ok).toBe(false);
    expect(grade(short, { text: '   ' })).toEqual({ ok: false, problem: 'the answer is empty' });
  });

  it('regrades an earlier answer against the question as it is now', () => {
    expect(feedbackFor(choice, { choice: 1, answer: 'B' }).correct).toBe(true);
    expect(feedbackFor(choice, { choice: 5, answer: 'gone' })).toEqual({
      correct: false,
      explanation: '',
      correctChoice: 1,
    });
  });
});
