import { z } from 'zod';
import { slug } from './lab-manifest.ts';
import { questionListSchema } from './questions.ts';

/**
 * Front matter Slipway adds to a lesson, on top of Starlight's own (title, description, ...).
 * The site's content collection extends Starlight's schema with it.
 */
export const lessonFrontmatterExtension = z.object({
  /** The lab this lesson embeds, if any; the build fails if it does not exist. */
  lab: slug.optional(),
  /** Check-your-understanding questions, shown where the lesson puts `<Question id />`. */
  questions: questionListSchema.optional(),
});

export const moduleSchema = z.strictObject({
  title: z.string().min(3),
  summary: z.string().optional(),
});

export type LessonFrontmatter = z.output<typeof lessonFrontmatterExtension>;
export type ModuleManifest = z.output<typeof moduleSchema>;
