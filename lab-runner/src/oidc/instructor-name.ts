/**
 * The username an instructor made at their first sign-in gets: what the provider calls them
 * (preferred_username, else e-mail, else name), made unique with a number when a Slipway
 * account already has it. An existing account is never taken over by a matching name: anyone
 * can choose their name at some providers.
 */
const MAX_LENGTH = 60;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const CONTROL = /[\u0000-\u001f\u007f]/g;

export function baseUsername(claims: Record<string, unknown>): string {
  for (const key of ['preferred_username', 'email', 'name']) {
    const v = claims[key];
    if (typeof v !== 'string') continue;
    const clean = v.replace(CONTROL, '').trim().slice(0, MAX_LENGTH).trim();
    if (clean) return clean;
  }
  return 'instructor';
}

export function uniqueUsername(base: string, taken: (name: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken(candidate)) return candidate;
  }
}
