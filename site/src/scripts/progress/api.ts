import { type ProgressSummary, parseProgressSummary } from './summary.ts';

/** The learner's progress, or undefined when the lab service does not answer (static hosting). */
export async function fetchProgress(): Promise<ProgressSummary | undefined> {
  try {
    const res = await fetch('/api/progress', {
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { accept: 'application/json' },
    });
    if (!res.ok) return undefined;
    return parseProgressSummary(await res.json());
  } catch {
    return undefined;
  }
}

/** Records that the learner read a lesson to its end; true when the service stored it. */
export async function markLessonViewed(lessonId: string): Promise<boolean> {
  const path = lessonId.split('/').map(encodeURIComponent).join('/');
  try {
    const res = await fetch(`/api/lessons/${path}/viewed`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    return res.ok;
  } catch {
    return false;
  }
}
