import { type Course, readCourse } from '../../../site/src/build/course.ts';
import type { Question } from '../protocol/index.ts';
import type { QuestionOutline } from '../protocol/instructor-views.ts';

/** A question and where it is asked. */
export interface CourseQuestion {
  question: Question;
  /** The module's slug, e.g. `docker-fundamentals` (classes pick modules). */
  module: string;
  /** The lesson's id, e.g. `docker-fundamentals/images-and-containers`. */
  lessonId: string;
  lessonTitle: string;
}

/** The course's questions by id, in course order. */
export type CourseQuestions = ReadonlyMap<string, CourseQuestion>;

export function questionsOf(course: Course): CourseQuestions {
  const out = new Map<string, CourseQuestion>();
  for (const m of course.modules)
    for (const lesson of m.lessons)
      for (const question of lesson.questions)
        out.set(question.id, {
          question,
          module: m.slug,
          lessonId: lesson.id,
          lessonTitle: lesson.title,
        });
  return out;
}

/**
 * Reads the questions from the content folder with the reader (and schema) the site build
 * uses; throws its CourseError (`file: questions[0].options: ...`) when something is wrong.
 */
export function loadCourseQuestions(contentDir: string, root = process.cwd()): CourseQuestions {
  return questionsOf(readCourse(contentDir, root));
}

export type { QuestionOutline } from '../protocol/instructor-views.ts';

/** The questions of the modules a class covers, in course order. */
export function questionsFor(
  modules: readonly string[],
  questions: CourseQuestions,
): QuestionOutline[] {
  return [...questions.values()]
    .filter((q) => modules.includes(q.module))
    .map((q) => ({
      id: q.question.id,
      module: q.module,
      lessonId: q.lessonId,
      lessonTitle: q.lessonTitle,
      kind: q.question.kind,
      prompt: q.question.prompt,
    }));
}
