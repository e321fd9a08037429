/// <reference types="astro/client" />

declare module 'virtual:slipway/labs' {
  import type { PublicLab } from './build/labs.ts';
  /** Every lab that loads, by id (no check scripts). */
  export const labs: Record<string, PublicLab>;
  /** Labs whose lab.yaml has errors (the build fails on these; `astro dev` only warns). */
  export const labFailures: { id: string; file: string; message: string }[];
}

declare module 'virtual:slipway/course' {
  import type { CourseModule, Lesson } from './build/course.ts';
  /** The course's modules and lessons, in order (without the questions: their answers stay out). */
  export const modules: Array<
    Omit<CourseModule, 'lessons'> & { lessons: Array<Omit<Lesson, 'questions'>> }
  >;
}
