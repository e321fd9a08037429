/**
 * Progress marks on every page: the sidebar and the course overview show which lessons are
 * done (from `GET /api/progress`), a reading lesson counts as read once its end has been on
 * screen, and the lab widget's task updates show up live. Without JavaScript, or when the lab
 * service does not answer, nothing is shown.
 */
import { fetchProgress, markLessonViewed } from './api.ts';
import { LAB_PROGRESS_EVENT, type LabProgressDetail } from './events.ts';
import { lessonOf, showProgress } from './marks.ts';
import { ProgressStore } from './store.ts';
import { lessonProgress, moduleProgressText, type ProgressSummary } from './summary.ts';

const store = new ProgressStore();

function markSidebar(summary: ProgressSummary): void {
  for (const link of document.querySelectorAll<HTMLElement>('a[data-lesson-id]')) {
    const lesson = lessonOf(link);
    if (lesson) showProgress(link, link, lessonProgress(summary, lesson));
  }
}

function markOverview(summary: ProgressSummary): void {
  for (const mod of document.querySelectorAll<HTMLElement>('[data-overview-module]')) {
    let done = 0;
    const items = mod.querySelectorAll<HTMLElement>('[data-overview-lesson]');
    for (const item of items) {
      const lesson = lessonOf(item);
      if (!lesson) continue;
      const p = lessonProgress(summary, lesson);
      if (p.state === 'done') done += 1;
      showProgress(item, item.querySelector<HTMLElement>('[data-progress-slot]') ?? item, p);
    }
    const count = mod.querySelector<HTMLElement>('[data-module-progress]');
    if (count) {
      count.textContent = moduleProgressText(done, items.length);
      count.hidden = false;
      count.dataset.progress = done === items.length ? 'done' : done > 0 ? 'partial' : 'none';
    }
    mod.style.setProperty('--module-done', String(items.length ? done / items.length : 0));
  }
}

/** A reading lesson is read once its end marker has been on screen; tell the service once. */
function watchLessonEnd(loaded: Promise<unknown>): void {
  const end = document.querySelector<HTMLElement>('[data-lesson-end]');
  const lessonId = end?.dataset.lessonEnd;
  if (!end || !lessonId || end.dataset.lessonLab || !('IntersectionObserver' in window)) return;
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    observer.disconnect();
    void loaded.then(async () => {
      if (store.current?.lessons[lessonId]) return;
      if (await markLessonViewed(lessonId)) store.lessonViewed(lessonId);
    });
  });
  observer.observe(end);
}

const wanted =
  document.querySelector('a[data-lesson-id], [data-overview-lesson], [data-lesson-end]') !== null;
if (wanted) {
  store.subscribe((summary) => {
    markSidebar(summary);
    markOverview(summary);
  });
  document.addEventListener(LAB_PROGRESS_EVENT, (event) => {
    const { labId, done, total } = (event as CustomEvent<LabProgressDetail>).detail;
    store.labProgress(labId, done, total);
  });
  const loaded = fetchProgress().then((summary) => {
    if (summary) store.load(summary);
    return summary;
  });
  watchLessonEnd(loaded);
}
