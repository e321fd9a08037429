import type { CourseImage } from '../../labs/course-images.ts';

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * Shell run inside the sandbox with a `docker save` tar on stdin: load it into the inner
 * engine, give each image its learner-facing tags, and drop the build-side name.
 */
export function imageLoadScript(images: readonly CourseImage[]): string {
  const lines = ['set -e', 'docker load -q >/dev/null'];
  for (const img of images) {
    for (const tag of img.tags) lines.push(`docker tag ${quote(img.source)} ${quote(tag)}`);
    if (!img.tags.includes(img.source)) lines.push(`docker rmi ${quote(img.source)} >/dev/null`);
  }
  return lines.join('\n');
}
