import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import {
  formatProblems,
  friendlyParse,
  type InputProblem,
  lessonFrontmatterExtension,
  moduleSchema,
  type Question,
} from '../../../lab-runner/src/protocol/index.ts';

/**
 * "The folder is the API": `content/NN-module/module.yaml` makes a module, and
 * `content/NN-module/NN-lesson.mdx` a lesson in it. The NN- prefixes give the order and are
 * dropped from URLs.
 */

export interface Lesson {
  /** Path relative to the repository root, for messages. */
  file: string;
  order: number;
  /** Content collection id, e.g. `docker-fundamentals/first-containers`. */
  id: string;
  href: string;
  title: string;
  /** What the sidebar shows: `sidebar.label` from the front matter, or the title. */
  label: string;
  hidden: boolean;
  /** The lab this lesson embeds (front matter `lab:`). */
  lab: string | undefined;
  /** Check-your-understanding questions (front matter `questions:`), graded by the runner. */
  questions: Question[];
}

export interface CourseModule {
  /** Path of the module folder relative to the repository root. */
  dir: string;
  order: number;
  slug: string;
  title: string;
  summary: string | undefined;
  lessons: Lesson[];
}

export interface Course {
  modules: CourseModule[];
}

/** A problem with the content folder; the message lists every problem found, one a line. */
export class CourseError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`The course content has ${plural(problems.length, 'problem')}:\n${problems.join('\n')}`);
    this.name = 'CourseError';
    this.problems = problems;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const ORDERED_NAME = /^(\d+)-([a-z0-9][a-z0-9-]*)$/;
const LESSON_FILE = /\.mdx?$/;

/** Drops the `NN-` order prefix of each path segment and the extension. */
export function entryId(entry: string): string {
  return entry
    .replace(/\\/g, '/')
    .replace(LESSON_FILE, '')
    .split('/')
    .map((segment) => segment.replace(/^\d+-/, ''))
    .join('/');
}

export function hrefFor(id: string): string {
  return id === 'index' ? '/' : `/${id}/`;
}

/** The first line of a YAML parser message, without its own (front-matter-relative) position. */
const yamlMessage = (message: string) =>
  (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');

interface FrontMatter {
  data: Record<string, unknown>;
  problems: InputProblem[];
}

/** Reads the YAML front matter of a Markdown/MDX file (empty when there is none). */
export function readFrontMatter(text: string): FrontMatter {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\s*(?:\r?\n|$)/.exec(text);
  if (!m) return { data: {}, problems: [] };
  const doc = parseDocument(m[1] ?? '');
  if (doc.errors.length > 0) {
    return {
      data: {},
      problems: doc.errors.map((e) => ({
        field: e.linePos ? `line ${e.linePos[0].line + 1}` : '',
        expected: `front matter is not valid YAML: ${yamlMessage(e.message)}`,
      })),
    };
  }
  const data = doc.toJS() as unknown;
  if (data === null || data === undefined) return { data: {}, problems: [] };
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { data: {}, problems: [{ field: '', expected: 'front matter must be a mapping' }] };
  }
  return { data: data as Record<string, unknown>, problems: [] };
}

function readLesson(
  path: string,
  id: string,
  order: number,
  file: string,
  problems: string[],
): Lesson {
  const { data, problems: fmProblems } = readFrontMatter(readFileSync(path, 'utf8'));
  const issues = [...fmProblems];
  const title = typeof data.title === 'string' ? data.title.trim() : '';
  if (fmProblems.length === 0 && title === '')
    issues.push({ field: 'title', expected: 'is required (a string)' });
  const extension = friendlyParse(lessonFrontmatterExtension, {
    lab: data.lab,
    questions: data.questions,
  });
  if (!extension.ok) issues.push(...extension.problems);
  const sidebar =
    typeof data.sidebar === 'object' && data.sidebar !== null
      ? (data.sidebar as Record<string, unknown>)
      : {};
  if (issues.length > 0) problems.push(formatProblems(file, issues));
  return {
    file,
    order,
    id,
    href: hrefFor(id),
    title,
    label: typeof sidebar.label === 'string' && sidebar.label !== '' ? sidebar.label : title,
    hidden: sidebar.hidden === true,
    lab: extension.ok ? extension.value.lab : undefined,
    questions: extension.ok ? (extension.value.questions ?? []) : [],
  };
}

function readModule(dirPath: string, name: string, root: string, problems: string[]): CourseModule {
  const m = ORDERED_NAME.exec(name)!;
  const dir = relative(root, dirPath) || dirPath;
  const yamlPath = join(dirPath, 'module.yaml');
  const yamlFile = relative(root, yamlPath) || yamlPath;
  let title = '';
  let summary: string | undefined;
  if (!existsSync(yamlPath)) {
    problems.push(
      `${yamlFile}: file is missing (every module folder needs a module.yaml with a title)`,
    );
  } else {
    const doc = parseDocument(readFileSync(yamlPath, 'utf8'));
    if (doc.errors.length > 0) {
      problems.push(
        formatProblems(
          yamlFile,
          doc.errors.map((e) => ({
            field: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '',
            expected: `not valid YAML: ${yamlMessage(e.message)}`,
          })),
        ),
      );
    } else {
      const parsed = friendlyParse(moduleSchema, doc.toJS() ?? {});
      if (parsed.ok) ({ title, summary } = parsed.value);
      else problems.push(formatProblems(yamlFile, parsed.problems));
    }
  }

  const lessons: Lesson[] = [];
  const seenOrder = new Map<number, string>();
  for (const entry of readdirSync(dirPath, { withFileTypes: true }).sort(byName)) {
    const path = join(dirPath, entry.name);
    const file = relative(root, path) || path;
    if (entry.isDirectory()) {
      if (hasLessons(path))
        problems.push(`${file}: lessons sit directly in their module folder, not in subfolders`);
      continue;
    }
    if (!LESSON_FILE.test(entry.name)) continue;
    const lm = ORDERED_NAME.exec(entry.name.replace(LESSON_FILE, ''));
    if (!lm) {
      problems.push(
        `${file}: a lesson file needs a name like "01-first-steps.mdx" (a number, a dash, then lowercase letters, digits and dashes)`,
      );
      continue;
    }
    const order = Number(lm[1]);
    const clash = seenOrder.get(order);
    if (clash) {
      problems.push(`${file}: has the same number as ${clash}; give each lesson its own number`);
      continue;
    }
    seenOrder.set(order, file);
    lessons.push(readLesson(path, entryId(`${name}/${entry.name}`), order, file, problems));
  }
  if (lessons.length === 0) problems.push(`${dir}: this module has no lessons yet`);
  return { dir, order: Number(m[1]), slug: m[2]!, title, summary, lessons };
}

const byName = (a: { name: string }, b: { name: string }) =>
  a.name.localeCompare(b.name, 'en', { numeric: true });

function hasLessons(dir: string): boolean {
  return readdirSync(dir, { withFileTypes: true }).some(
    (e) =>
      (e.isFile() && LESSON_FILE.test(e.name)) ||
      (e.isDirectory() && hasLessons(join(dir, e.name))),
  );
}

/**
 * Reads the course structure from the content folder. Throws a CourseError listing every
 * problem (a missing module.yaml, a lesson without a title, two lessons with one number...).
 */
export function readCourse(contentDir: string, root = process.cwd()): Course {
  const problems: string[] = [];
  const modules: CourseModule[] = [];
  const contentName = relative(root, contentDir) || contentDir;
  if (!existsSync(contentDir)) throw new CourseError([`${contentName}: folder is missing`]);
  const seenOrder = new Map<number, string>();
  const seenSlug = new Map<string, string>();
  for (const entry of readdirSync(contentDir, { withFileTypes: true }).sort(byName)) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
    const path = join(contentDir, entry.name);
    const dir = relative(root, path) || path;
    if (!ORDERED_NAME.test(entry.name)) {
      if (hasLessons(path) || existsSync(join(path, 'module.yaml'))) {
        problems.push(
          `${dir}: a module folder needs a name like "01-docker-basics" (a number, a dash, then lowercase letters, digits and dashes)`,
        );
      }
      continue;
    }
    const mod = readModule(path, entry.name, root, problems);
    const clash = seenOrder.get(mod.order);
    if (clash) problems.push(`${dir}: has the same number as ${clash}; give each module its own`);
    seenOrder.set(mod.order, dir);
    const slugClash = seenSlug.get(mod.slug);
    if (slugClash)
      problems.push(`${dir}: has the same name as ${slugClash}, so both would get one URL`);
    seenSlug.set(mod.slug, dir);
    modules.push(mod);
  }
  problems.push(...questionIdClashes(modules));
  if (problems.length > 0) throw new CourseError(problems);
  return { modules };
}

/** The runner keys answers by question id alone, so an id may appear once in the course. */
function questionIdClashes(modules: readonly CourseModule[]): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const lesson of modules.flatMap((m) => m.lessons)) {
    lesson.questions.forEach((q, i) => {
      const first = seen.get(q.id);
      if (first)
        problems.push(
          `${lesson.file}: questions[${i}].id: "${q.id}" is already a question in ${first}; give each question its own id`,
        );
      else seen.set(q.id, lesson.file);
    });
  }
  return problems;
}

/** Every lesson, in course order. */
export function allLessons(course: Course): Lesson[] {
  return course.modules.flatMap((m) => m.lessons);
}

export interface SidebarLink {
  label: string;
  link: string;
  badge?: { text: string; variant: 'tip' };
  /** For the progress marks: which lesson the link opens, and its lab. */
  attrs: { 'data-lesson-id': string; 'data-lesson-lab'?: string };
}

export interface SidebarGroup {
  label: string;
  items: SidebarLink[];
}

/**
 * Starlight's sidebar: one group per module, lessons in order; lessons with a lab get a badge.
 * Each link names its lesson (and lab) so the progress script can mark it done.
 */
export function sidebarFor(course: Course): SidebarGroup[] {
  return course.modules.map((m) => ({
    label: m.title,
    items: m.lessons
      .filter((l) => !l.hidden)
      .map((l) => ({
        label: l.label,
        link: l.href,
        ...(l.lab ? { badge: { text: 'Lab', variant: 'tip' as const } } : {}),
        attrs: { 'data-lesson-id': l.id, ...(l.lab ? { 'data-lesson-lab': l.lab } : {}) },
      })),
  }));
}
