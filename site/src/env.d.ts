/// <reference types="astro/client" />

declare module 'virtual:slipway/labs' {
  import type { PublicLab } from './build/labs.ts';
  /** Every lab that loads, by id (no check scripts). */
  export const labs: Record<string, PublicLab>;
  /** Labs whose lab.yaml has errors (the build fails on these; `astro dev` only warns). */
  export const labFailures: { id: string; file: string; message: string }[];
}

declare module 'virtual:slipway/course' {
  import type { CourseModule } from './build/course.ts';
  /** The course's modules and lessons, in order. */
  export const modules: CourseModule[];
}
