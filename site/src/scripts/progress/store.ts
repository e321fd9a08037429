import { type ProgressSummary, withLabProgress, withLessonViewed } from './summary.ts';

type Listener = (summary: ProgressSummary) => void;

/**
 * The page's copy of the learner's progress: what the service said, plus what happened on this
 * page since (tasks the lab widget saw pass, the lesson read to its end). Listeners run on every
 * change, once there is something to show.
 */
export class ProgressStore {
  private summary: ProgressSummary | undefined;
  /** Lab progress seen live on this page; newer than any summary fetched before it. */
  private readonly live = new Map<string, { done: number; total: number }>();
  private readonly viewed = new Set<string>();
  private readonly listeners: Listener[] = [];

  get current(): ProgressSummary | undefined {
    return this.summary;
  }

  subscribe(listener: Listener): void {
    this.listeners.push(listener);
    if (this.summary) listener(this.summary);
  }

  /** The service's answer to `GET /api/progress`. */
  load(summary: ProgressSummary): void {
    let next = summary;
    for (const [labId, p] of this.live) next = withLabProgress(next, labId, p.done, p.total);
    for (const id of this.viewed) next = withLessonViewed(next, id);
    this.set(next);
  }

  labProgress(labId: string, done: number, total: number): void {
    this.live.set(labId, { done, total });
    this.set(withLabProgress(this.summary ?? { labs: {}, lessons: {} }, labId, done, total));
  }

  lessonViewed(lessonId: string): void {
    this.viewed.add(lessonId);
    if (this.summary) this.set(withLessonViewed(this.summary, lessonId));
  }

  private set(summary: ProgressSummary): void {
    this.summary = summary;
    for (const l of this.listeners) l(summary);
  }
}
