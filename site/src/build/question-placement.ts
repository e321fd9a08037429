import { type JsxElement, stringAttribute } from './jsx-attributes.ts';

/** How lessons import the question widget; the build checks that the import is there. */
export const QUESTION_COMPONENT = 'Question';
export const QUESTION_IMPORT = '@slipway/Question.astro';

/** The id a `<Question id="..." />` names, or why it cannot be checked. */
export function questionIdOf(node: JsxElement): { id: string } | { problem: string } {
  const attr = stringAttribute(node, 'id');
  if (attr.kind === 'string') return { id: attr.value };
  return {
    problem:
      '<Question> needs a plain string id naming a question of this lesson\'s front matter, e.g. <Question id="image-vs-container" />',
  };
}

/**
 * Every question in a lesson's front matter is shown exactly once, and every `<Question>`
 * shows one of them: a question nobody sees could never be answered (and would still count
 * against the learner when answers are graded).
 */
export function questionPlacementProblems(
  file: string,
  declared: readonly string[],
  placed: ReadonlyArray<{ id: string; where: string }>,
  imported: boolean,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const p of placed) {
    if (!declared.includes(p.id)) {
      const known = declared.join(', ') || 'none';
      problems.push(
        `${p.where}: <Question id="${p.id}" /> names a question that is not in this lesson's front matter (its questions: ${known})`,
      );
    } else if (seen.has(p.id)) {
      problems.push(`${p.where}: <Question id="${p.id}" /> is shown a second time; show it once`);
    }
    seen.add(p.id);
  }
  for (const id of declared)
    if (!seen.has(id))
      problems.push(
        `${file}: the front matter's question "${id}" is not shown; add <Question id="${id}" /> where the lesson should ask it`,
      );
  if (placed.length > 0 && !imported)
    problems.push(
      `${file}: uses <Question /> without importing it; add this line after the front matter: import Question from '${QUESTION_IMPORT}';`,
    );
  return problems;
}
