import type { DatabaseSync } from 'node:sqlite';
import type { TimelineEntry } from '../protocol/instructor-views.ts';

/** Everything one learner did, raw, for the instructor's views (see classes/roster.ts). */
export interface LearnerActivity {
  completions: Array<{ labId: string; taskId: string; completedAt: string }>;
  /**
   * Per task: all attempts; the ones the learner caused (a Check click or a command, not the
   * background poll); and their failures that count toward "stuck": every failed Check click,
   * plus each *different* reason after a command (the same failure re-checked after every
   * command of unrelated work is one failure, not many).
   */
  attempts: Array<{
    labId: string;
    taskId: string;
    total: number;
    userTotal: number;
    userFailures: number;
    firstAt: string;
    lastAt: string;
    lastPassed: boolean;
    lastReason: string | null;
  }>;
  events: Array<{ labId: string; taskId: string | null; kind: string; at: string }>;
  lastCommandAt: string | null;
}

export type { TimelineEntry } from '../protocol/instructor-views.ts';

/** Read-only queries over learners' activity. */
export class ActivityStore {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  activity(learnerId: string): LearnerActivity {
    const completions = this.db
      .prepare(
        'SELECT lab_id AS labId, task_id AS taskId, completed_at AS completedAt FROM task_completions WHERE learner_id = ?',
      )
      .all(learnerId) as unknown as LearnerActivity['completions'];
    const attempts = (
      this.db
        .prepare(
          `SELECT lab_id AS labId, task_id AS taskId, COUNT(*) AS total,
                  SUM(CASE WHEN trigger IN ('click', 'command') THEN 1 ELSE 0 END) AS userTotal,
                  SUM(CASE WHEN passed = 0 AND trigger = 'click' THEN 1 ELSE 0 END)
                    + COUNT(DISTINCT CASE WHEN passed = 0 AND trigger = 'command' THEN COALESCE(reason, '') END) AS userFailures,
                  MIN(at) AS firstAt, MAX(at) AS lastAt,
                  (SELECT passed FROM check_attempts l WHERE l.learner_id = c.learner_id AND l.lab_id = c.lab_id AND l.task_id = c.task_id ORDER BY id DESC LIMIT 1) AS lastPassed,
                  (SELECT reason FROM check_attempts l WHERE l.learner_id = c.learner_id AND l.lab_id = c.lab_id AND l.task_id = c.task_id ORDER BY id DESC LIMIT 1) AS lastReason
           FROM check_attempts c WHERE learner_id = ? GROUP BY lab_id, task_id`,
        )
        .all(learnerId) as unknown as Array<
        Omit<LearnerActivity['attempts'][number], 'lastPassed'> & { lastPassed: number }
      >
    ).map((a) => ({ ...a, lastPassed: a.lastPassed === 1 }));
    const events = this.db
      .prepare(
        'SELECT lab_id AS labId, task_id AS taskId, kind, at FROM learner_events WHERE learner_id = ? ORDER BY id',
      )
      .all(learnerId) as unknown as LearnerActivity['events'];
    const last = this.db
      .prepare('SELECT MAX(finished_at) AS at FROM commands WHERE learner_id = ?')
      .get(learnerId) as {
      at: string | null;
    };
    return { completions, attempts, events, lastCommandAt: last.at };
  }

  /**
   * What a learner did, newest last: commands, checks they triggered or that changed a task,
   * completions, hints and solutions. Background polls that changed nothing are left out.
   */
  timeline(learnerId: string, limit = 1000): TimelineEntry[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM (
           SELECT finished_at AS at, 'command' AS kind, lab_id AS labId, NULL AS taskId, command, exit_code AS exitCode,
                  NULL AS passed, NULL AS reason, started_at AS trigger, id AS seq FROM commands WHERE learner_id = ?1
           UNION ALL
           SELECT at, 'check', lab_id, task_id, NULL, NULL, passed, reason, trigger, id FROM check_attempts c
             WHERE learner_id = ?1 AND (trigger <> 'poll' OR NOT EXISTS (
               SELECT 1 FROM check_attempts p WHERE p.learner_id = c.learner_id AND p.lab_id = c.lab_id
                 AND p.task_id = c.task_id AND p.id < c.id AND p.passed = c.passed
                 AND COALESCE(p.reason, '') = COALESCE(c.reason, '')
                 AND p.id = (SELECT MAX(id) FROM check_attempts q WHERE q.learner_id = c.learner_id
                             AND q.lab_id = c.lab_id AND q.task_id = c.task_id AND q.id < c.id)))
           UNION ALL
           SELECT completed_at, 'completed', lab_id, task_id, NULL, NULL, NULL, NULL, NULL, 0 FROM task_completions WHERE learner_id = ?1
           UNION ALL
           SELECT at, kind, lab_id, task_id, NULL, NULL, NULL, NULL, NULL, id FROM learner_events WHERE learner_id = ?1
         ) ORDER BY at DESC, seq DESC LIMIT ?2`,
      )
      .all(learnerId, limit) as unknown as Array<Record<string, unknown>>;
    return rows.reverse().map((r) => {
      const at = String(r.at);
      const labId = String(r.labId);
      switch (r.kind) {
        case 'command':
          return {
            at,
            kind: 'command',
            labId,
            command: String(r.command),
            exitCode: Number(r.exitCode),
            // The union's `trigger` column carries a command's start time.
            startedAt: String(r.trigger),
          };
        case 'check':
          return {
            at,
            kind: 'check',
            labId,
            taskId: String(r.taskId),
            passed: r.passed === 1,
            reason: (r.reason as string | null) ?? null,
            trigger: String(r.trigger),
          };
        case 'completed':
          return { at, kind: 'completed', labId, taskId: String(r.taskId) };
        default:
          return {
            at,
            kind: r.kind as 'hint' | 'solution',
            labId,
            taskId: (r.taskId as string | null) ?? null,
          };
      }
    });
  }
}
