import type { DatabaseSync } from 'node:sqlite';

/**
 * Moves everything one learner did to another, when a browser with anonymous progress signs
 * in as a person who already has a learner (from another browser). Where both have a row
 * for the same thing (a completed task, a lesson read, a question answered right, a class),
 * the earlier time is kept, as a completion always keeps its first time.
 *
 * Every table with a learner_id is named here, as moved or as staying; a test fails when a
 * migration adds one that is not, so a new kind of progress cannot be left behind.
 */
export const MOVED_TABLES = [
  'check_attempts',
  'task_completions',
  'learner_events',
  'lesson_views',
  'commands',
  'recordings',
  'class_members',
  'question_attempts',
  'question_completions',
] as const;

/**
 * Rows that stay with the old learner: sandbox sessions are labelled with it on the engine
 * (the runner ends them at the merge; their history stays where the labels say), and its
 * sign-in link (a learner that has one is never merged away), and what only a linked learner
 * has: where an LMS launch sends its scores, and the scores sent.
 */
export const STAYING_TABLES = [
  'sandboxes',
  'oidc_learners',
  'lti_grade_targets',
  'lti_score_sends',
] as const;

/** Runs inside the caller's transaction. */
export function mergeLearners(
  db: DatabaseSync,
  from: string,
  into: string,
  now = new Date(),
): void {
  if (from === into) return;
  for (const table of [
    'check_attempts',
    'learner_events',
    'commands',
    'recordings',
    'question_attempts',
  ])
    db.prepare(`UPDATE ${table} SET learner_id = ? WHERE learner_id = ?`).run(into, from);
  const keepEarliest = (table: string, key: string[], time: string, extra: string[] = []) => {
    const cols = [...key, time, ...extra].join(', ');
    db.prepare(
      `INSERT INTO ${table} (learner_id, ${cols}) SELECT ?, ${cols} FROM ${table} WHERE learner_id = ?
       ON CONFLICT (learner_id, ${key.join(', ')}) DO UPDATE SET ${time} = min(${time}, excluded.${time})`,
    ).run(into, from);
    db.prepare(`DELETE FROM ${table} WHERE learner_id = ?`).run(from);
  };
  keepEarliest('task_completions', ['lab_id', 'task_id'], 'completed_at');
  keepEarliest('lesson_views', ['lesson_id'], 'viewed_at');
  keepEarliest('question_completions', ['question_id'], 'correct_at');
  // In a class both were in, the name the person's learner had there is kept.
  keepEarliest('class_members', ['class_id'], 'joined_at', ['display_name']);
  db.prepare('UPDATE learners SET merged_into = ? WHERE id = ?').run(into, from);
  db.prepare('UPDATE learners SET last_seen_at = ? WHERE id = ?').run(now.toISOString(), into);
}
