/**
 * Run blocks: a fenced code block with the meta word `run` (```` ```sh run ````) gets a Run
 * button that types its commands into the lab terminal of the same page. These helpers are
 * shared by the build-time check (a Sätteri mdast plugin) and the Expressive Code plugin that
 * draws the button, so both agree on what a run block is.
 */

/** Languages a run block may have: shell commands, or a console transcript (`$ ` prompts). */
export const RUN_LANGUAGES = ['sh', 'bash', 'shell', 'console'] as const;

const languageList = 'sh, bash, shell or console';

/**
 * Whether a code block's meta string asks for a Run button: the bare word `run` (or
 * `run=true`), outside quoted titles, `{ranges}` and `/regexes/`, as Expressive Code reads it.
 */
export function isRunMeta(meta: string | null | undefined): boolean {
  if (!meta) return false;
  const plain = meta
    .replace(/(["'])(?:\\.|(?!\1)[^\\])*\1/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\/(?:\\.|[^/\\])+\//g, ' ');
  return plain.split(/\s+/).some((word) => /^run(?:=true)?$/i.test(word));
}

/**
 * The lines a Run button types, each followed by Enter. Shell blocks are typed as written
 * (blank lines at either end dropped); console blocks type the lines after a `$ ` prompt, plus
 * the continuation lines that follow them (after a trailing `\`, or shown with a `> ` prompt).
 */
export function runCommands(lang: string, code: string): string[] {
  const lines = code.replace(/\r\n?/g, '\n').split('\n');
  if (lang !== 'console') {
    while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
    while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
    return lines.map((l) => l.replace(/\s+$/, ''));
  }
  const out: string[] = [];
  let continuing = false;
  for (const raw of lines) {
    const line = raw.replace(/\s+$/, '');
    const prompt = /^\$(?: (.*)|$)/.exec(line);
    if (prompt) {
      const command = prompt[1] ?? '';
      if (command.trim() === '') continue;
      out.push(command);
      continuing = true;
    } else if (continuing && /^> ?/.test(line)) {
      out.push(line.replace(/^> ?/, ''));
    } else if (continuing && out.length > 0 && out.at(-1)!.endsWith('\\')) {
      out.push(line);
    } else {
      continuing = false;
    }
  }
  return out;
}

/**
 * What is wrong with a run block's language or body, or undefined when it can run. `lang` is
 * the code block's language (`undefined` when it has none).
 */
export function runBlockProblem(lang: string | null | undefined, code: string): string | undefined {
  if (!lang) return `a \`run\` code block needs a language: ${languageList} (e.g. \`\`\`sh run)`;
  if (!(RUN_LANGUAGES as readonly string[]).includes(lang)) {
    return `a \`run\` code block must be ${languageList}, not "${lang}"`;
  }
  if (code.trim() === '') return 'this `run` code block is empty; put the commands to run in it';
  if (runCommands(lang, code).length === 0) {
    return 'this `run` code block has no command to run: in a console block, commands start with "$ "';
  }
  return undefined;
}

/** A code block written as ```` ```run ````: the info string's first word is its language. */
export function looksLikeRunWithoutLanguage(lang: string | null | undefined): boolean {
  return lang === 'run';
}

export const RUN_WITHOUT_LAB =
  'a `run` code block types into the lab terminal of its page, but this lesson has no <Lab />; add one, or remove "run"';
export const RUN_OUTSIDE_CONTENT =
  '`run` code blocks only work in lessons under content/, next to a <Lab />; remove "run"';
