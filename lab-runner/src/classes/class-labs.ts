import { readCourse } from '../../../site/src/build/course.ts';
import type { LoadedLabs } from '../labs/load-labs.ts';
import type { LabOutline, ModuleOutline } from '../protocol/instructor-views.ts';

export type { ModuleOutline } from '../protocol/instructor-views.ts';

/**
 * The course as an instructor picks from it: modules in order, each with the labs its lessons
 * embed. Read from the content folder (the same reader the site build uses).
 */
export function courseOutline(contentDir: string, labs: LoadedLabs): ModuleOutline[] {
  return readCourse(contentDir).modules.map((m) => ({
    slug: m.slug,
    title: m.title,
    labs: m.lessons.flatMap((lesson) => {
      const lab = lesson.lab ? labs.labs.get(lesson.lab) : undefined;
      return lab
        ? [
            {
              id: lab.id,
              title: lab.title,
              tasks: lab.tasks.map((t) => ({ id: t.id, title: t.title })),
            },
          ]
        : [];
    }),
  }));
}

/** The labs of the modules a class covers, in course order. */
export function labsFor(
  modules: readonly string[],
  outline: readonly ModuleOutline[],
): LabOutline[] {
  return outline.filter((m) => modules.includes(m.slug)).flatMap((m) => m.labs);
}
