import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MdastPluginDefinition, PluginFactoryContext } from 'satteri';
import { type Course, readFrontMatter } from './course.ts';
import { importsComponent, type JsxElement, stringAttribute } from './jsx-attributes.ts';
import { checkLabReference, type LabCatalog } from './labs.ts';
import {
  QUESTION_COMPONENT,
  QUESTION_IMPORT,
  questionIdOf,
  questionPlacementProblems,
} from './question-placement.ts';
import {
  isRunMeta,
  looksLikeRunWithoutLanguage,
  RUN_OUTSIDE_CONTENT,
  RUN_WITHOUT_LAB,
  runBlockProblem,
} from './run-blocks.ts';
import { TASK_LINK_COMPONENT, TASK_LINK_IMPORT, taskLinkProblem } from './task-links.ts';

/** How lessons import the lab widget; the check also makes sure the import is there. */
export const LAB_COMPONENT = 'Lab';
export const LAB_IMPORT = '@slipway/Lab.astro';

export interface LessonCheckOptions {
  /** Absolute path of the content folder; files elsewhere only get the run block check. */
  contentDir: string;
  /** Repository root, to name files relative to it. */
  root: string;
  /** The labs as they are now (called once per lesson, so dev servers see edits). */
  catalog: () => LabCatalog;
  /** The course, to know which lesson shows which lab (for TaskLinks to other pages). */
  course: () => Course;
}

/** Thrown when a lesson has problems the build can see; fails the build, listing them all. */
export class LessonCheckError extends Error {
  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'LessonCheckError';
  }
}

/**
 * What a `<Lab ... />` element says about its lab: the id, or a problem with how it is
 * written. Only a plain string id can be checked at build time.
 */
export function labIdOf(node: JsxElement): { id: string } | { problem: string } {
  const attr = stringAttribute(node, 'id');
  if (attr.kind === 'missing') {
    return { problem: '<Lab /> needs an id naming its lab, e.g. <Lab id="first-containers" />' };
  }
  if (attr.kind === 'computed') {
    return {
      problem: `<Lab id=...> must be a plain string such as id="first-containers", so the build can check that the lab exists`,
    };
  }
  return { id: attr.value };
}

type CodeNode = {
  lang?: string | null;
  meta?: string | null;
  value: string;
  position?: { start: { line: number } } | undefined;
};

/** The problem with a run block, or undefined when the block is not a run block or is fine. */
function runBlockCheck(node: CodeNode): string | undefined {
  if (looksLikeRunWithoutLanguage(node.lang)) return runBlockProblem(undefined, node.value);
  if (!isRunMeta(node.meta)) return undefined;
  return runBlockProblem(node.lang, node.value) ?? '';
}

/** Problems in the order of the lesson's lines; those about the whole file come last. */
function byLine(problems: readonly string[]): string[] {
  const line = (p: string) => Number(/^[^\n]*?:(\d+): /.exec(p)?.[1] ?? Number.POSITIVE_INFINITY);
  return [...problems].sort((a, b) => line(a) - line(b));
}

const at = (file: string, node: { position?: { start: { line: number } } | undefined }) => {
  const line = node.position?.start.line;
  return line === undefined ? file : `${file}:${line}`;
};

/**
 * A Sätteri mdast plugin (Astro 7's Markdown pipeline) that checks every lesson and fails the
 * build naming the file and line of each problem:
 * - `<Lab id="...">` must name a lab that loads, be imported, and match `lab:` in the front
 *   matter (the sidebar and the overview show progress by it);
 * - `<TaskLink lab task>` must name a task of a lab that a lesson shows, and be imported;
 * - a ```` ```sh run ```` block must have a shell language and a body, and a <Lab> on its page.
 */
export function lessonChecks(options: LessonCheckOptions) {
  const contentDir = options.contentDir.endsWith(sep)
    ? options.contentDir
    : options.contentDir + sep;
  return ({
    fileURL,
    sourceFormat,
    source,
    data,
  }: PluginFactoryContext): MdastPluginDefinition | undefined => {
    if (fileURL?.protocol !== 'file:') return undefined;
    const path = fileURLToPath(fileURL);
    const file = relative(options.root, path) || path;
    if (!path.startsWith(contentDir)) return outsideContent(file);
    // `.md` lessons cannot hold components; markdown-lessons.ts checks them before the build.
    if (sourceFormat !== 'mdx') return undefined;

    const problems: string[] = [];
    const labs: { id: string; where: string }[] = [];
    const taskLinks: { node: JsxElement; where: string }[] = [];
    const runBlocks: string[] = [];
    let importsLab = false;
    let importsTaskLink = false;
    const questions: { id: string; where: string }[] = [];
    let importsQuestion = false;
    let loaded: LabCatalog | undefined;
    const catalog = () => {
      loaded ??= options.catalog();
      return loaded;
    };

    const visit = (node: JsxElement) => {
      if (node.name === LAB_COMPONENT) {
        const where = at(file, node);
        const found = labIdOf(node);
        if ('problem' in found) {
          problems.push(`${where}: ${found.problem}`);
          labs.push({ id: '', where });
        } else {
          labs.push({ id: found.id, where });
        }
      } else if (node.name === TASK_LINK_COMPONENT) {
        taskLinks.push({ node, where: at(file, node) });
      } else if (node.name === QUESTION_COMPONENT) {
        const found = questionIdOf(node);
        if ('problem' in found) problems.push(`${at(file, node)}: ${found.problem}`);
        else questions.push({ id: found.id, where: at(file, node) });
      }
    };

    return {
      name: 'slipway-lesson-checks',
      options: { position: true },
      mdxjsEsm(node) {
        if (importsComponent(node.value, LAB_COMPONENT, LAB_IMPORT)) importsLab = true;
        if (importsComponent(node.value, TASK_LINK_COMPONENT, TASK_LINK_IMPORT))
          importsTaskLink = true;
        if (importsComponent(node.value, QUESTION_COMPONENT, QUESTION_IMPORT))
          importsQuestion = true;
      },
      mdxJsxFlowElement: visit,
      mdxJsxTextElement: visit,
      code(node) {
        const problem = runBlockCheck(node);
        if (problem === undefined) return;
        if (problem) problems.push(`${at(file, node)}: ${problem}`);
        else runBlocks.push(at(file, node));
      },
      after() {
        const usesLab = labs.length > 0;
        const labIds = labs.map((l) => l.id).filter((id) => id !== '');
        if (labIds.length > 0) {
          for (const lab of labs) {
            if (!lab.id) continue;
            const problem = checkLabReference(catalog(), lab.id, lab.where);
            if (problem) problems.push(problem);
          }
        }
        if (usesLab && !importsLab) {
          problems.push(
            `${file}: uses <Lab /> without importing it; add this line after the front matter: import Lab from '${LAB_IMPORT}';`,
          );
        }
        const frontMatter = frontMatterOf(data, source);
        const declaredQuestions = Array.isArray(frontMatter.questions)
          ? frontMatter.questions.flatMap((q: { id?: unknown }) =>
              typeof q?.id === 'string' ? [q.id] : [],
            )
          : [];
        problems.push(
          ...questionPlacementProblems(file, declaredQuestions, questions, importsQuestion),
        );
        const declared = frontMatter.lab;
        problems.push(
          ...frontMatterLabProblems(
            file,
            typeof declared === 'string' ? declared : undefined,
            labs,
          ),
        );

        if (taskLinks.length > 0) {
          const shownElsewhere = new Set(
            options
              .course()
              .modules.flatMap((m) => m.lessons)
              .map((l) => l.lab),
          );
          const shown = (id: string) => labIds.includes(id) || shownElsewhere.has(id);
          for (const link of taskLinks) {
            const problem = taskLinkProblem(link.node, link.where, {
              catalog: catalog(),
              shown,
            });
            if (problem) problems.push(problem);
          }
          if (!importsTaskLink) {
            problems.push(
              `${file}: uses <TaskLink> without importing it; add this line after the front matter: import TaskLink from '${TASK_LINK_IMPORT}';`,
            );
          }
        }

        if (!usesLab) for (const where of runBlocks) problems.push(`${where}: ${RUN_WITHOUT_LAB}`);
        if (problems.length > 0) throw new LessonCheckError(byLine(problems));
      },
    };
  };

  function outsideContent(file: string): MdastPluginDefinition {
    const problems: string[] = [];
    return {
      name: 'slipway-lesson-checks',
      options: { position: true },
      code(node) {
        const problem = runBlockCheck(node);
        if (problem !== undefined) problems.push(`${at(file, node)}: ${RUN_OUTSIDE_CONTENT}`);
      },
      after() {
        if (problems.length > 0) throw new LessonCheckError(problems);
      },
    };
  }
}

/**
 * A lesson's front matter: Astro strips it from the source before compiling and hands it over
 * in `data.astro.frontmatter`; a plain Sätteri compile (the tests) still has it in the source.
 */
function frontMatterOf(
  data: PluginFactoryContext['data'],
  source: string,
): Record<string, unknown> {
  const astro = (data as { astro?: { frontmatter?: unknown } }).astro;
  const fm = astro?.frontmatter;
  if (typeof fm === 'object' && fm !== null) return fm as Record<string, unknown>;
  return readFrontMatter(source).data;
}

/**
 * The front matter's `lab:` must name the lab the lesson shows: the sidebar and the course
 * overview find a lesson's lab (and its progress) through it.
 */
function frontMatterLabProblems(
  file: string,
  declared: string | undefined,
  labs: readonly { id: string; where: string }[],
): string[] {
  const shown = labs.filter((l) => l.id !== '');
  if (declared === undefined) {
    const first = shown[0];
    if (!first) return [];
    return [
      `${first.where}: this lesson shows <Lab id="${first.id}" />, so its front matter needs "lab: ${first.id}" (the sidebar and the course overview show the lab's progress through it)`,
    ];
  }
  if (shown.some((l) => l.id === declared)) return [];
  // A broken <Lab> (no id, computed id) is reported on its own.
  if (labs.length > shown.length) return [];
  if (shown.length === 0) {
    return [
      `${file}: front matter "lab: ${declared}" names a lab this lesson does not show; add <Lab id="${declared}" /> (import Lab from '${LAB_IMPORT}';) or remove the "lab:" line`,
    ];
  }
  return [
    `${shown[0]!.where}: front matter "lab: ${declared}" names a lab this lesson does not show; it shows <Lab id="${shown[0]!.id}" />. Make the two the same.`,
  ];
}
