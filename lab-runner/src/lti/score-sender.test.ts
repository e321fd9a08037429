import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../errors/log.ts';
import type { Lab, LoadedLabs } from '../labs/load-labs.ts';
import { openDatabase } from '../progress/database.ts';
import { ProgressStore } from '../progress/progress-store.ts';
import type { LtiPlatform } from '../protocol/index.ts';
import { QuestionStore } from '../questions/question-store.ts';
import { DEFAULT_RETRY_POLICY } from '../webhooks/retry-policy.ts';
import { PlatformError, type PlatformServices } from './ags-client.ts';
import { LtiStore } from './lti-store.ts';
import { refusedForGood, ScoreSender } from './score-sender.ts';
import { ScoreStore } from './score-store.ts';

const platform: LtiPlatform = {
  name: 'LMS',
  issuer: 'https://lms.example.org',
  clientId: 'c',
  deploymentIds: ['d'],
  authLoginUrl: 'https://lms.example.org/auth',
  tokenUrl: 'https://lms.example.org/token',
  jwksUrl: 'https://lms.example.org/jwks',
};
const labs: LoadedLabs = {
  labs: new Map([
    ['lab-a', { id: 'lab-a', title: 'Lab A', tasks: [{ id: 't1' }, { id: 't2' }] } as Lab],
  ]),
  failures: [],
};

function setup(answers: Array<number | 'hang'>) {
  const db = openDatabase(':memory:');
  const lti = new LtiStore(db);
  const scores = new ScoreStore(db);
  const progress = new ProgressStore(db);
  progress.touchLearner('L');
  const posted: Array<{ given: number; max: number }> = [];
  const services = {
    lineItem: async () => 'https://lms.example.org/lineitems/1',
    postScore: async (
      _p: unknown,
      _li: string,
      s: { scoreGiven: number; scoreMaximum: number },
    ) => {
      const status = answers.shift() ?? 200;
      if (status !== 200) throw new PlatformError(`answered ${status}`, status as number);
      posted.push({ given: s.scoreGiven, max: s.scoreMaximum });
    },
  } as unknown as PlatformServices;
  const sender = new ScoreSender({
    lti,
    scores,
    services,
    platforms: () => [platform],
    labs,
    places: () =>
      new Map([['lab-a', { lessonId: 'm/l', href: '/m/l/', title: 'L', questions: ['q1'] }]]),
    progress,
    answers: new QuestionStore(db),
    logger: silentLogger,
    policy: { ...DEFAULT_RETRY_POLICY, baseMs: 20, maxAttempts: 3 },
    random: () => 0,
  });
  lti.saveTarget({
    learnerId: 'L',
    labId: 'lab-a',
    issuer: platform.issuer,
    deploymentId: 'd',
    contextId: 'ctx',
    resourceLinkId: 'r',
    userId: 'sub-1',
    lineitemsUrl: 'https://lms.example.org/lineitems',
    lineitemUrl: null,
    scopes: [],
  });
  const pass = (taskId: string) => {
    progress.recordAttempt({
      learnerId: 'L',
      labId: 'lab-a',
      taskId,
      passed: true,
      reason: undefined,
      trigger: 'command',
      durationMs: 1,
      at: new Date(),
    });
    sender.handle({
      kind: 'task-completed',
      learnerId: 'L',
      labId: 'lab-a',
      taskId,
      at: new Date().toISOString(),
    });
  };
  return { db, lti, scores, sender, posted, pass };
}

let close: () => Promise<void> = async () => {};
afterEach(() => close());

describe('ScoreSender', () => {
  it('sends the lab score when a task passes, retrying after a failure and recording both', async () => {
    const s = setup([500]);
    close = () => s.sender.close();
    s.pass('t1');
    await vi.waitFor(() => expect(s.posted).toEqual([{ given: 1, max: 3 }]));
    const [send] = s.scores.sends('L');
    expect(send).toMatchObject({ status: 'sent', attempts: 2, responseCode: 200 });
    expect(s.scores.attempts(send!.id).map((a) => a.responseCode)).toEqual([500, 200]);
  });

  it('gives up after the policy’s attempts, retrying a throttle and server errors', async () => {
    const s = setup([429, 503, 500]);
    close = () => s.sender.close();
    s.pass('t1');
    await vi.waitFor(() => expect(s.scores.sends('L')[0]?.status).toBe('failed'));
    expect(s.scores.sends('L')[0]).toMatchObject({ attempts: 3, responseCode: 500 });
    expect(s.posted).toEqual([]);
  });

  it('does not send again a score the gradebook refused as wrong (400)', async () => {
    const s = setup([400, 200]);
    close = () => s.sender.close();
    s.pass('t1');
    await vi.waitFor(() => expect(s.scores.sends('L')[0]?.status).toBe('failed'));
    expect(s.scores.sends('L')[0]).toMatchObject({ attempts: 1, responseCode: 400 });
    expect(s.posted).toEqual([]);
  });

  it('takes only answers that cannot change as final', () => {
    expect([400, 403, 404, 410, 422].map(refusedForGood)).toEqual([true, true, true, true, true]);
    expect([401, 408, 429, 500, 503].map(refusedForGood)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('ignores learners no launch asked scores for, and events of other kinds', () => {
    const s = setup([]);
    close = () => s.sender.close();
    s.sender.handle({
      kind: 'task-completed',
      learnerId: 'X',
      labId: 'lab-a',
      taskId: 't1',
      at: new Date().toISOString(),
    });
    s.sender.handle({
      kind: 'hint',
      learnerId: 'L',
      labId: 'lab-a',
      taskId: 't1',
      at: new Date().toISOString(),
    });
    expect(s.scores.sends()).toEqual([]);
  });

  it('supersedes a score still waiting when a newer one is queued', () => {
    const s = setup([]);
    close = () => s.sender.close();
    const [t] = s.lti.targets('L');
    const score = { maximum: 3, activity: 'InProgress', grading: 'FullyGraded' };
    s.scores.queueScore(t!, { ...score, given: 1 });
    s.scores.queueScore(t!, { ...score, given: 2 });
    expect(s.scores.sends('L').map((x) => x.status)).toEqual(['superseded', 'pending']);
    expect(s.scores.prune(new Date(Date.now() + 1000))).toBe(1);
    expect(s.scores.sends('L').map((x) => x.status)).toEqual(['pending']);
  });
});
