import type { Course } from '../../../site/src/build/course.ts';

/**
 * A lab's score as the gradebook gets it: one point per task passed and per question (of the
 * lessons that embed the lab) answered right, out of all of them. Sent as it grows, each time
 * final for what is done so far (`FullyGraded`: Moodle keeps only final scores); the activity
 * is `Completed` once everything is done.
 */
export interface LabScore {
  given: number;
  maximum: number;
  activity: 'InProgress' | 'Completed';
  grading: 'FullyGraded';
}

export function labScore(parts: {
  tasks: readonly string[];
  tasksDone: ReadonlySet<string>;
  questions: readonly string[];
  questionsRight: ReadonlySet<string>;
}): LabScore {
  const given =
    parts.tasks.filter((t) => parts.tasksDone.has(t)).length +
    parts.questions.filter((q) => parts.questionsRight.has(q)).length;
  const maximum = parts.tasks.length + parts.questions.length;
  return {
    given,
    maximum,
    activity: maximum > 0 && given === maximum ? 'Completed' : 'InProgress',
    grading: 'FullyGraded',
  };
}

/** Each lab's lesson page and the questions asked in the lessons that embed it. */
export interface LabPlace {
  lessonId: string;
  href: string;
  title: string;
  questions: string[];
}

export function labPlaces(course: Course): Map<string, LabPlace> {
  const out = new Map<string, LabPlace>();
  for (const m of course.modules)
    for (const l of m.lessons) {
      if (!l.lab) continue;
      const known = out.get(l.lab);
      const questions = l.questions.map((q) => q.id);
      if (known) known.questions.push(...questions);
      else out.set(l.lab, { lessonId: l.id, href: l.href, title: l.title, questions });
    }
  return out;
}
