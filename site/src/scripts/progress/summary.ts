/**
 * The learner's progress over the whole course, as `GET /api/progress` returns it, and what
 * each lesson shows of it. No DOM here: the sidebar, the course overview and the lab widget
 * all read it the same way.
 */

export interface LabSummary {
  done: number;
  total: number;
  completedAt?: string;
}

export interface ProgressSummary {
  labs: Record<string, LabSummary>;
  /** Lesson id -> when the learner read it to the end. */
  lessons: Record<string, string>;
}

/** A lesson as the progress marks know it: its id, and its lab if it has one. */
export interface LessonRef {
  id: string;
  lab?: string | undefined;
}

export type ProgressState = 'done' | 'partial' | 'none';

export interface LessonProgress {
  state: ProgressState;
  /** For lab lessons: tasks done and in all. */
  done?: number;
  total?: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Accepts a `GET /api/progress` body; anything else (an HTML error page, ...) is undefined. */
export function parseProgressSummary(value: unknown): ProgressSummary | undefined {
  if (!isRecord(value) || !isRecord(value.labs) || !isRecord(value.lessons)) return undefined;
  const labs: Record<string, LabSummary> = {};
  for (const [id, lab] of Object.entries(value.labs)) {
    if (!isRecord(lab) || typeof lab.done !== 'number' || typeof lab.total !== 'number') continue;
    labs[id] = {
      done: lab.done,
      total: lab.total,
      ...(typeof lab.completedAt === 'string' ? { completedAt: lab.completedAt } : {}),
    };
  }
  const lessons: Record<string, string> = {};
  for (const [id, at] of Object.entries(value.lessons))
    if (typeof at === 'string') lessons[id] = at;
  return { labs, lessons };
}

/** A lab lesson is done when its lab is; a reading lesson when it was read to the end. */
export function lessonProgress(summary: ProgressSummary, lesson: LessonRef): LessonProgress {
  if (lesson.lab) {
    const lab = summary.labs[lesson.lab];
    if (!lab || lab.total === 0) return { state: 'none' };
    const state = lab.done >= lab.total ? 'done' : lab.done > 0 ? 'partial' : 'none';
    return { state, done: Math.min(lab.done, lab.total), total: lab.total };
  }
  return { state: summary.lessons[lesson.id] ? 'done' : 'none' };
}

/** What a screen reader hears after the lesson's name. */
export function progressLabel(p: LessonProgress): string {
  if (p.total !== undefined && p.state !== 'done') return `${p.done ?? 0} of ${p.total} tasks done`;
  return p.state === 'done' ? 'done' : 'not done yet';
}

/** The short visible text for a lab lesson in progress: "3/5". */
export function fractionText(p: LessonProgress): string | undefined {
  return p.total !== undefined && p.state === 'partial' ? `${p.done}/${p.total}` : undefined;
}

/** "2 of 3 done" for a module. */
export function moduleProgressText(done: number, total: number): string {
  return `${done} of ${total} done`;
}

/** The summary after a lab reports its tasks (the lab widget does, live). */
export function withLabProgress(
  summary: ProgressSummary,
  labId: string,
  done: number,
  total: number,
): ProgressSummary {
  const before = summary.labs[labId];
  const completedAt = done >= total ? (before?.completedAt ?? new Date().toISOString()) : undefined;
  return {
    ...summary,
    labs: { ...summary.labs, [labId]: { done, total, ...(completedAt ? { completedAt } : {}) } },
  };
}

/** The summary after the learner read a lesson to its end. */
export function withLessonViewed(summary: ProgressSummary, lessonId: string): ProgressSummary {
  if (summary.lessons[lessonId]) return summary;
  return { ...summary, lessons: { ...summary.lessons, [lessonId]: new Date().toISOString() } };
}

/** `docker-fundamentals/first-containers` -> `docker-fundamentals-first-containers` (test ids). */
export function lessonTestId(lessonId: string): string {
  return lessonId.replace(/\//g, '-');
}
