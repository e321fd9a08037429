import { defineCollection } from 'astro:content';
import { docsSchema } from '@astrojs/starlight/schema';
import { glob } from 'astro/loaders';
import { lessonFrontmatterExtension } from '../../lab-runner/src/protocol/lesson.ts';
import { entryId } from './build/course.ts';

// Lessons live in the top-level content/ folder; ids (and so URLs) drop the NN- prefixes:
// content/01-docker-fundamentals/02-first-containers.mdx -> /docker-fundamentals/first-containers/
export const collections = {
  docs: defineCollection({
    loader: glob({
      base: './content',
      pattern: '**/*.{md,mdx}',
      generateId: ({ entry }) => entryId(entry),
    }),
    schema: docsSchema({ extend: lessonFrontmatterExtension }),
  }),
};
