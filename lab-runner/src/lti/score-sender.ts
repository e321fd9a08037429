import type { Logger } from '../errors/log.ts';
import type { LoadedLabs } from '../labs/load-labs.ts';
import type { ProgressStore } from '../progress/progress-store.ts';
import type { ActivityEvent, LtiPlatform } from '../protocol/index.ts';
import type { QuestionStore } from '../questions/question-store.ts';
import { decideAfterAttempt, type RetryPolicy } from '../webhooks/retry-policy.ts';
import { PlatformError, type PlatformServices } from './ags-client.ts';
import type { LtiStore } from './lti-store.ts';
import { type LabPlace, labScore } from './score.ts';
import type { ScoreSend, ScoreStore } from './score-store.ts';

export interface ScoreSenderDeps {
  lti: LtiStore;
  scores: ScoreStore;
  services: PlatformServices;
  platforms: () => readonly LtiPlatform[];
  labs: LoadedLabs;
  places: () => ReadonlyMap<string, LabPlace>;
  progress: ProgressStore;
  answers: QuestionStore;
  logger: Logger;
  policy: RetryPolicy;
  random?: () => number;
}

/** A claimed send is retried after this if the runner stops mid-attempt. */
const LEASE_MS = 60_000;
const MAX_SLEEP_MS = 30_000;

/**
 * Sends learners' lab scores to the gradebooks of the LMS launches that opened the labs. The
 * bus's events (a task passed, a question answered) queue a score in SQLite on the publisher's
 * tick; the sender posts it on its own time, retrying with back-off, and every attempt's outcome
 * stays on the send's row.
 */
export class ScoreSender {
  private readonly deps: ScoreSenderDeps;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(deps: ScoreSenderDeps) {
    this.deps = deps;
  }

  handle(e: ActivityEvent): void {
    if (e.kind === 'task-completed') this.queue(e.learnerId, e.labId);
    else if (e.kind === 'question-answered' && e.correct) {
      for (const [labId, place] of this.deps.places())
        if (place.questions.includes(e.questionId)) this.queue(e.learnerId, labId);
    }
  }

  /** Queues the learner's current score for a lab to every gradebook it was launched from. */
  queue(learnerId: string, labId: string): void {
    const targets = this.deps.lti.targets(learnerId, labId);
    if (targets.length === 0) return;
    const lab = this.deps.labs.labs.get(labId);
    if (!lab) return;
    const right = new Set(
      [...this.deps.answers.states(learnerId).values()]
        .filter((s) => s.correctAt !== null)
        .map((s) => s.questionId),
    );
    const score = labScore({
      tasks: lab.tasks.map((t) => t.id),
      tasksDone: new Set(this.deps.progress.completions(learnerId, labId).map((c) => c.taskId)),
      questions: this.deps.places().get(labId)?.questions ?? [],
      questionsRight: right,
    });
    for (const t of targets) this.deps.scores.queueScore(t, score);
    this.wake();
  }

  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain()
      .catch((err) => this.deps.logger.error('LTI score sending failed', err))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        } else this.sleep();
      });
  }

  start(): void {
    this.wake();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private sleep(): void {
    if (this.closed) return;
    const next = this.deps.scores.nextDue();
    const wait = next ? Math.max(0, next.getTime() - Date.now()) : MAX_SLEEP_MS;
    this.timer = setTimeout(() => this.wake(), Math.min(wait, MAX_SLEEP_MS));
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    for (let due = this.deps.scores.claimDue(LEASE_MS); due.length; ) {
      await Promise.all(due.map((s) => this.attempt(s)));
      if (this.closed) return;
      due = this.deps.scores.claimDue(LEASE_MS);
    }
  }

  private async attempt(s: ScoreSend): Promise<void> {
    const { lti, scores, logger } = this.deps;
    const platform = this.deps.platforms().find((p) => p.issuer === s.issuer);
    const target = lti.target(s);
    if (!platform || !target) {
      scores.recordAttempt(s.id, {
        status: 'failed',
        error: platform
          ? 'the launch that asked for scores is gone'
          : 'the platform is no longer registered',
      });
      return;
    }
    const attempt = s.attempts + 1;
    try {
      const lab = this.deps.labs.labs.get(s.labId);
      const lineItem = await this.deps.services.lineItem(platform, target, {
        id: s.labId,
        title: lab?.title ?? s.labId,
        maximum: s.scoreMaximum,
      });
      await this.deps.services.postScore(platform, lineItem, {
        userId: target.userId,
        scoreGiven: s.scoreGiven,
        scoreMaximum: s.scoreMaximum,
        activityProgress: s.activityProgress,
        gradingProgress: s.gradingProgress,
        timestamp: new Date().toISOString(),
      });
      scores.recordAttempt(s.id, { status: 'sent', code: 200 });
      logger.info('LTI score sent', {
        platform: platform.name,
        lab: s.labId,
        score: `${s.scoreGiven}/${s.scoreMaximum}`,
        attempt,
      });
    } catch (err) {
      const status = err instanceof PlatformError ? err.status : undefined;
      const decision =
        status !== undefined && refusedForGood(status)
          ? ({ kind: 'failed' } as const)
          : decideAfterAttempt(
              attempt,
              { status: status ?? 0 },
              this.deps.policy,
              (this.deps.random ?? Math.random)(),
            );
      const error = (err as Error).message.slice(0, 500);
      if (decision.kind === 'retry')
        scores.recordAttempt(s.id, {
          status: 'pending',
          error,
          ...(status ? { code: status } : {}),
          retryAt: new Date(Date.now() + decision.delayMs),
        });
      else
        scores.recordAttempt(s.id, {
          status: 'failed',
          error,
          ...(status ? { code: status } : {}),
        });
      logger.warn('LTI score not sent', {
        platform: platform.name,
        lab: s.labId,
        attempt,
        error,
        next: decision.kind === 'retry' ? `in ${decision.delayMs} ms` : 'no more attempts',
      });
    }
  }
}

/**
 * A gradebook's answer that the same request will get again (a malformed or forbidden score,
 * a line item gone): sending it again cannot help. An expired token (401), a timeout (408), a
 * throttle (429) and server errors are worth another attempt.
 */
export function refusedForGood(status: number): boolean {
  return status >= 400 && status < 500 && ![401, 408, 425, 429].includes(status);
}
