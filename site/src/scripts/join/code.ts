/** Join codes as people type them: spaces, dashes and lower case are fine. Pure. */

/** Join codes are 8 letters and digits (the runner leaves out look-alikes such as O and 0). */
export const JOIN_CODE_LENGTH = 8;

/** The code without spaces or dashes, upper case. */
export function normalizeCode(input: string): string {
  return input.replace(/[\s\-_.]+/g, '').toUpperCase();
}

export function isCompleteCode(code: string): boolean {
  return /^[A-Z0-9]{8}$/.test(code);
}

/** Why a typed code cannot be a join code yet, in words; undefined when it can. */
export function codeProblem(input: string): string | undefined {
  const code = normalizeCode(input);
  if (code === '') return 'Type the join code your instructor gave you.';
  if (/[^A-Z0-9]/.test(code)) return 'A join code has only letters and digits.';
  if (code.length < JOIN_CODE_LENGTH)
    return `A join code has ${JOIN_CODE_LENGTH} characters; this one has ${code.length}.`;
  if (code.length > JOIN_CODE_LENGTH)
    return `A join code has ${JOIN_CODE_LENGTH} characters; this one has ${code.length}.`;
  return undefined;
}

/** The code from a join link's query (`?code=`), normalized, or '' when there is none. */
export function codeFromQuery(search: string): string {
  return normalizeCode(new URLSearchParams(search).get('code') ?? '');
}

/** A display name is 1 to 60 characters after trimming (the runner's rule). */
export function nameProblem(input: string): string | undefined {
  const name = input.trim();
  if (name === '') return 'Tell your instructor who you are: type a name.';
  if (name.length > 60) return 'That name is long; keep it under 60 characters.';
  return undefined;
}
