import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A course image: built on the host from `images/course/<name>/` as `slipway/course-<name>`,
 * then loaded into a sandbox's inner engine under the tags listed in its `tags` file
 * (e.g. `nginx:latest`), so a learner's `docker run nginx` starts without a pull.
 */
export interface CourseImage {
  name: string;
  /** Tag of the built image in the sandbox engine. */
  source: string;
  /** Tags the learner sees inside the sandbox. */
  tags: string[];
}

export function courseImageSource(name: string): string {
  return `slipway/course-${name}:latest`;
}

export function loadCourseImages(imagesDir: string): Map<string, CourseImage> {
  const out = new Map<string, CourseImage>();
  const courseDir = join(imagesDir, 'course');
  if (!existsSync(courseDir)) return out;
  for (const entry of readdirSync(courseDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const tagsFile = join(courseDir, entry.name, 'tags');
    const tags = existsSync(tagsFile)
      ? readFileSync(tagsFile, 'utf8')
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '' && !l.startsWith('#'))
      : [`${entry.name}:latest`];
    out.set(entry.name, { name: entry.name, source: courseImageSource(entry.name), tags });
  }
  return out;
}
