/**
 * What a question shows after an answer, worked out from the runner's reply. Pure (tested);
 * main.ts puts it on the page. Types only come from the runner: nothing of it is bundled.
 */
import type { QuestionStatus } from '../../../../lab-runner/src/protocol/index.ts';

export type { QuestionStatus };

export interface FeedbackView {
  /** `right` or `wrong`, for styling. */
  result: 'right' | 'wrong';
  /** The first words of the feedback. */
  headline: string;
  /** Inline Markdown: the explanation of the picked option, or of the question. */
  explanation: string;
  /** Choice questions: the option to mark as the learner's, and the right one. */
  chosen?: number;
  correctChoice?: number;
  /** Short questions: an accepted answer, shown after a wrong one. */
  accepted?: string;
  /** Shown when the answer was given on an earlier visit. */
  earlier?: string;
}

/** `earlier` is true when the status comes from GET /api/questions, not from an answer just sent. */
export function feedbackView(status: QuestionStatus, earlier: boolean): FeedbackView {
  const { feedback, choice, answer } = status.last;
  const right = feedback.correct;
  let headline = right ? 'Right.' : 'Not quite.';
  if (!right && status.done) headline = 'Not quite (you answered this correctly before).';
  return {
    result: right ? 'right' : 'wrong',
    headline,
    explanation: feedback.explanation,
    ...(choice !== null ? { chosen: choice } : {}),
    ...(feedback.correctChoice !== undefined ? { correctChoice: feedback.correctChoice } : {}),
    ...(!right && feedback.accepted !== undefined ? { accepted: feedback.accepted } : {}),
    ...(earlier
      ? {
          earlier:
            choice === null
              ? `Your last answer: “${answer}”.`
              : 'You answered this before; your last answer is marked.',
        }
      : {}),
  };
}

/** The message when the answer could not be checked. */
export function unreachableMessage(status: number | undefined, serverMessage?: string): string {
  if (serverMessage) return serverMessage;
  if (status === undefined || status === 404 || status >= 500)
    return 'Your answer could not be checked: the lab service does not answer. You can still read the question and think it through; try again later.';
  return `Your answer could not be checked (error ${status}). Try again.`;
}
