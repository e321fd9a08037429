import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Course } from './course.ts';
import { isRunMeta, looksLikeRunWithoutLanguage, RUN_WITHOUT_LAB } from './run-blocks.ts';

/** A fenced code block's opening line: its line number (1-based), language and meta. */
export interface Fence {
  line: number;
  lang: string;
  meta: string;
}

/** The fenced code blocks of a Markdown text (``` and ~~~ fences, CommonMark style). */
export function fencedBlocks(text: string): Fence[] {
  const fences: Fence[] = [];
  let open: { char: string; size: number } | undefined;
  text.split(/\r?\n/).forEach((line, i) => {
    const m = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (!m) return;
    const marker = m[1]!;
    if (open) {
      if (marker[0] === open.char && marker.length >= open.size && m[2]!.trim() === '')
        open = undefined;
      return;
    }
    // A backtick fence's info string cannot contain backticks.
    if (marker[0] === '`' && m[2]!.includes('`')) return;
    open = { char: marker[0]!, size: marker.length };
    const [lang = '', ...meta] = m[2]!.trim().split(/\s+/);
    fences.push({ line: i + 1, lang, meta: meta.join(' ') });
  });
  return fences;
}

/**
 * Problems of `.md` lessons, found before the build: a `.md` lesson cannot show a lab, so it
 * can have neither `lab:` in its front matter nor run blocks. (Astro renders `.md` lessons
 * while it syncs content, where a plugin's error is only logged; checking here makes them
 * stop the build like every other lesson problem.)
 */
export function markdownLessonProblems(course: Course, root: string): string[] {
  const problems: string[] = [];
  for (const lesson of course.modules.flatMap((m) => m.lessons)) {
    if (!lesson.file.endsWith('.md')) continue;
    if (lesson.lab) {
      problems.push(
        `${lesson.file}: front matter "lab: ${lesson.lab}" names a lab this lesson does not show, and a .md lesson cannot show one; rename it to .mdx and add <Lab id="${lesson.lab}" />, or remove the "lab:" line`,
      );
    }
    const text = readFileSync(join(root, lesson.file), 'utf8');
    for (const fence of fencedBlocks(text)) {
      if (isRunMeta(fence.meta) || looksLikeRunWithoutLanguage(fence.lang))
        problems.push(`${lesson.file}:${fence.line}: ${RUN_WITHOUT_LAB}`);
    }
  }
  return problems;
}
