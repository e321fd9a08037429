import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AstroIntegration } from 'astro';
import type { Course } from './course.ts';
import {
  checkLabReference,
  type LabCatalog,
  type LabDirs,
  labFailuresMessage,
  loadLabCatalog,
  type PublicLab,
} from './labs.ts';
import { lessonChecks } from './lesson-checks.ts';
import { markdownLessonProblems } from './markdown-lessons.ts';

export interface SlipwayOptions extends LabDirs {
  contentDir: string;
  course: Course;
}

const LABS_MODULE = 'virtual:slipway/labs';
const COURSE_MODULE = 'virtual:slipway/course';

/** Lessons whose `lab:` front matter names a lab that does not exist. */
export function frontMatterProblems(course: Course, catalog: LabCatalog): string[] {
  const problems: string[] = [];
  for (const lesson of course.modules.flatMap((m) => m.lessons)) {
    // A broken lab is reported once, by labFailuresMessage, with the loader's details.
    if (!lesson.lab || catalog.failures.some((f) => f.id === lesson.lab)) continue;
    const p = checkLabReference(
      catalog,
      lesson.lab,
      lesson.file,
      `front matter "lab: ${lesson.lab}"`,
    );
    if (p) problems.push(p);
  }
  return problems;
}

/** Serialises the labs a lesson page may show; check scripts never reach the site. */
export function labsModuleSource(catalog: LabCatalog): string {
  const labs: Record<string, PublicLab> = Object.fromEntries(catalog.labs);
  const failures = catalog.failures.map((f) => ({ id: f.id, file: f.file, message: f.message }));
  return `export const labs = ${JSON.stringify(labs)};\nexport const labFailures = ${JSON.stringify(failures)};\n`;
}

function labManifests(labsDir: string): string[] {
  if (!existsSync(labsDir)) return [];
  return readdirSync(labsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(labsDir, d.name, 'lab.yaml'))
    .filter((p) => existsSync(p));
}

/**
 * Slipway's build-time checks and data for the site:
 * - every lab manifest must load (the build fails with the loader's `file: field: expected`);
 * - every `<Lab id>` in a lesson and every `lab:` in front matter must name a lab that loads,
 *   and the two must agree; every `<TaskLink>` must name a task of a lab a lesson shows;
 *   every ```` ```sh run ```` block must be well-formed and have a lab on its page
 *   (lesson-checks.ts);
 * - `virtual:slipway/labs` and `virtual:slipway/course` give components the labs and modules.
 * `astro dev` reports the same problems without stopping, so a typo can be fixed live.
 */
export function slipway(options: SlipwayOptions): AstroIntegration {
  const labsDir = options.labsDir ?? join(options.root, 'labs');
  let fresh = false;
  let cached: LabCatalog | undefined;
  const catalog = () => {
    if (fresh || !cached) cached = loadLabCatalog(options);
    return cached;
  };

  return {
    name: 'slipway',
    hooks: {
      'astro:config:setup': ({ command, config, updateConfig, logger }) => {
        fresh = command === 'dev';
        const current = catalog();
        const problems = [
          labFailuresMessage(current.failures),
          ...frontMatterProblems(options.course, current),
          ...markdownLessonProblems(options.course, options.root),
        ].filter((p): p is string => p !== undefined);
        if (problems.length > 0) {
          const message = problems.join('\n');
          if (command === 'dev') logger.error(message);
          else throw new Error(message);
        }

        const processor = config.markdown.processor as {
          name: string;
          options: { mdastPlugins?: unknown[] };
        };
        if (processor.name !== 'satteri' || !Array.isArray(processor.options.mdastPlugins)) {
          throw new Error(
            `Slipway checks lessons with a Sätteri plugin, but markdown.processor is "${processor.name}". Remove the markdown.processor setting from astro.config.mjs.`,
          );
        }
        processor.options.mdastPlugins.push(
          lessonChecks({
            contentDir: options.contentDir,
            root: options.root,
            catalog,
            course: () => options.course,
          }),
        );

        // Questions stay out: their answers are for the runner, never for a page's scripts.
        const modules = options.course.modules.map((m) => ({
          ...m,
          lessons: m.lessons.map(({ questions: _answers, ...l }) => l),
        }));
        const courseSource = `export const modules = ${JSON.stringify(modules)};\n`;
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'slipway-virtual-modules',
                resolveId(id: string) {
                  if (id === LABS_MODULE || id === COURSE_MODULE) return `\0${id}`;
                  return undefined;
                },
                load(id: string) {
                  if (id === `\0${COURSE_MODULE}`) return courseSource;
                  if (id !== `\0${LABS_MODULE}`) return undefined;
                  for (const file of labManifests(labsDir)) this.addWatchFile(file);
                  return labsModuleSource(catalog());
                },
              },
            ],
          },
        });
      },
    },
  };
}
