import { describe, expect, it } from 'vitest';
import type { Course } from '../../../site/src/build/course.ts';
import { launchTarget } from './target.ts';

const lesson = (id: string, lab?: string) => ({
  file: `${id}.mdx`,
  order: 1,
  id,
  href: `/${id}/`,
  title: id,
  label: id,
  hidden: false,
  lab,
  questions: [],
});
const course: Course = {
  modules: [
    {
      dir: 'content/01-basics',
      order: 1,
      slug: 'basics',
      title: 'Basics',
      summary: undefined,
      lessons: [lesson('basics/intro'), lesson('basics/first', 'first-containers')],
    },
  ],
};
const SITE = 'https://course.example.org';

describe('launchTarget', () => {
  it('opens the lesson that embeds a lab, grading that lab', () => {
    expect(launchTarget(course, { lab: 'first-containers' }, undefined, SITE)).toEqual({
      path: '/basics/first/',
      labId: 'first-containers',
    });
  });

  it('opens a lesson, or a module at its first lesson', () => {
    expect(launchTarget(course, { lesson: 'basics/intro' }, undefined, SITE).path).toBe(
      '/basics/intro/',
    );
    expect(launchTarget(course, { module: 'basics' }, undefined, SITE).path).toBe('/basics/intro/');
  });

  it('takes a target_link_uri only on this site and only for a lesson', () => {
    expect(launchTarget(course, {}, `${SITE}/basics/first/`, SITE).labId).toBe('first-containers');
    expect(launchTarget(course, {}, 'https://evil.example/basics/first/', SITE).path).toBe('/');
    expect(launchTarget(course, {}, `${SITE}//evil.example/`, SITE).path).toBe('/');
    expect(launchTarget(course, { lab: 'nope' }, 'not a url', SITE)).toEqual({
      path: '/',
      labId: undefined,
    });
  });
});
