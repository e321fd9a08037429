import type { AnswerBody, AnswerFeedback, Question } from '../protocol/index.ts';

/** How typed answers are compared: case, surrounding and repeated spaces do not count. */
export function normaliseAnswer(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** One answer as it is stored: the picked option's index (choice) and the words. */
export interface GivenAnswer {
  choice: number | null;
  /** The picked option's text, or what the learner typed. */
  answer: string;
}

/** What the learner sees after answering (the wire shape is in protocol/questions.ts). */
export type Feedback = AnswerFeedback;

export type Graded =
  | { ok: true; given: GivenAnswer; feedback: Feedback }
  | { ok: false; problem: string };

/** Grades one answer. Pure: the runner calls it, never the browser. */
export function grade(q: Question, body: AnswerBody): Graded {
  if (q.kind === 'choice') {
    if (body.choice === undefined)
      return { ok: false, problem: 'this question takes "choice", the number of an option' };
    const option = q.options[body.choice];
    if (!option) return { ok: false, problem: `this question has ${q.options.length} options` };
    return {
      ok: true,
      given: { choice: body.choice, answer: option.text },
      feedback: feedbackFor(q, { choice: body.choice, answer: option.text }),
    };
  }
  if (body.text === undefined)
    return { ok: false, problem: 'this question takes "text", the answer in words' };
  const answer = body.text.trim();
  if (answer === '') return { ok: false, problem: 'the answer is empty' };
  const given = { choice: null, answer };
  return { ok: true, given, feedback: feedbackFor(q, given) };
}

/**
 * The feedback for an answer given earlier (shown again when the learner comes back), graded
 * against the question as it is now.
 */
export function feedbackFor(q: Question, given: GivenAnswer): Feedback {
  if (q.kind === 'choice') {
    const correctChoice = q.options.findIndex((o) => o.correct);
    const option = given.choice === null ? undefined : q.options[given.choice];
    return {
      correct: given.choice === correctChoice,
      explanation: option?.explanation ?? '',
      correctChoice,
    };
  }
  const typed = normaliseAnswer(given.answer);
  return {
    correct: q.answers.some((a) => normaliseAnswer(a) === typed),
    explanation: q.explanation,
    accepted: q.answers[0],
  };
}
