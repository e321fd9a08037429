import type { Course } from '../../../site/src/build/course.ts';

/** Where a resource-link launch lands, and the lab whose score it grades (if any). */
export interface LaunchTarget {
  path: string;
  labId: string | undefined;
}

/**
 * The page a launch opens: named by the link's custom parameters (`lab`, `lesson` or `module`,
 * as Slipway's deep-linking items carry them), else by a `target_link_uri` on this site; the
 * course's home otherwise. Only pages of the course are ever a target, so a launch cannot send
 * the browser elsewhere.
 */
export function launchTarget(
  course: Course,
  custom: Record<string, unknown> | undefined,
  targetLinkUri: string | undefined,
  siteOrigin: string,
): LaunchTarget {
  const lessons = course.modules.flatMap((m) => m.lessons);
  const text = (k: string) => (typeof custom?.[k] === 'string' ? (custom[k] as string) : undefined);
  const lab = text('lab');
  if (lab) {
    const lesson = lessons.find((l) => l.lab === lab);
    if (lesson) return { path: lesson.href, labId: lab };
  }
  const lessonId = text('lesson');
  const lesson = lessonId ? lessons.find((l) => l.id === lessonId) : undefined;
  if (lesson) return { path: lesson.href, labId: lesson.lab };
  const moduleSlug = text('module');
  const first = course.modules.find((m) => m.slug === moduleSlug)?.lessons[0];
  if (first) return { path: first.href, labId: undefined };
  if (targetLinkUri) {
    let u: URL | undefined;
    try {
      u = new URL(targetLinkUri);
    } catch {
      u = undefined;
    }
    const byPath =
      u?.origin === siteOrigin ? lessons.find((l) => l.href === u.pathname) : undefined;
    if (byPath) return { path: byPath.href, labId: byPath.lab };
  }
  return { path: '/', labId: undefined };
}
