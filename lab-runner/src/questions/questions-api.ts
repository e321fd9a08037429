import type { IncomingMessage, ServerResponse } from 'node:http';
import { slipwayError } from '../errors/catalogue.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Identity } from '../http/identity.ts';
import { readJson } from '../http/request-body.ts';
import { sendJson } from '../http/responses.ts';
import { answerBodySchema, type QuestionStatus } from '../protocol/index.ts';
import type { AnswerThrottle } from './answer-throttle.ts';
import type { CourseQuestions } from './course-questions.ts';
import { feedbackFor, grade } from './grade.ts';
import type { QuestionStore } from './question-store.ts';

export interface QuestionsApiDeps {
  questions: () => CourseQuestions;
  answers: QuestionStore;
  identity: Identity;
  throttle: AnswerThrottle;
  /** The instructor's live class view hears of each answer from here. */
  bus: EventBus;
}

export type { QuestionStatus } from '../protocol/index.ts';

const ANSWER = /^\/api\/questions\/([a-z0-9][a-z0-9-]{0,62})\/answer$/;

/**
 * Questions in lessons: `GET /api/questions` (the learner's answers so far) and
 * `POST /api/questions/<id>/answer` (graded here, recorded, answered with the explanation).
 * The learner comes from the signed cookie, so an answer can only ever touch its sender's record.
 */
export async function handleQuestionsApi(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: QuestionsApiDeps,
): Promise<boolean> {
  if (path === '/api/questions') {
    if (req.method !== 'GET')
      throw slipwayError('METHOD_NOT_ALLOWED', { method: req.method ?? '?' });
    const learnerId = deps.identity.read(req);
    const out: Record<string, QuestionStatus> = {};
    if (learnerId) {
      const questions = deps.questions();
      for (const [id, s] of deps.answers.states(learnerId)) {
        const q = questions.get(id);
        if (!q) continue;
        out[id] = {
          done: s.correctAt !== null,
          attempts: s.attempts,
          last: {
            choice: s.last.choice,
            answer: s.last.answer,
            at: s.last.at,
            feedback: feedbackFor(q.question, s.last),
          },
        };
      }
    }
    sendJson(res, 200, { questions: out });
    return true;
  }
  const m = ANSWER.exec(path);
  if (!m) return false;
  if (req.method !== 'POST')
    throw slipwayError('METHOD_NOT_ALLOWED', { method: req.method ?? '?' });
  const q = deps.questions().get(m[1]!);
  if (!q) throw slipwayError('QUESTION_NOT_FOUND', { questionId: m[1]! });
  const body = await readJson(req, answerBodySchema);
  const graded = grade(q.question, body);
  if (!graded.ok) throw slipwayError('BAD_REQUEST', { detail: graded.problem });
  const learnerId = deps.identity.ensure(req, res);
  const wait = deps.throttle.waitMs(learnerId);
  if (wait > 0) {
    res.setHeader('retry-after', String(Math.ceil(wait / 1000)));
    throw slipwayError('TOO_MANY_ANSWERS', { wait: String(Math.ceil(wait / 1000)) });
  }
  const now = new Date();
  deps.answers.record(learnerId, q.question.id, graded.given, graded.feedback.correct, now);
  deps.bus.publish({
    kind: 'question-answered',
    learnerId,
    questionId: q.question.id,
    correct: graded.feedback.correct,
    at: now.toISOString(),
  });
  const state = deps.answers.states(learnerId).get(q.question.id)!;
  const status: QuestionStatus = {
    done: state.correctAt !== null,
    attempts: state.attempts,
    last: { ...graded.given, at: now.toISOString(), feedback: graded.feedback },
  };
  sendJson(res, 200, status);
  return true;
}
