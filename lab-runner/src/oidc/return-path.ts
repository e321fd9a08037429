/**
 * Where a browser goes after signing in: only a path on this site, never another site. A
 * value that a browser would read as another host (`//evil.example`, `/\evil.example`, a
 * scheme) or that carries control characters is refused, not repaired.
 */
export const MAX_RETURN_LENGTH = 1024;

export function safeReturnPath(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined;
  if (raw.length > MAX_RETURN_LENGTH) return undefined;
  if (!raw.startsWith('/') || raw.startsWith('//')) return undefined;
  // Browsers read "\" as "/" in http URLs, and strip tabs and newlines before parsing.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return undefined;
  let u: URL;
  try {
    u = new URL(raw, 'http://slipway.invalid');
  } catch {
    return undefined;
  }
  if (u.origin !== 'http://slipway.invalid') return undefined;
  // Never back into the sign-in itself (a loop) or to an API answer.
  if (u.pathname.startsWith('/auth/') || u.pathname.startsWith('/api/')) return undefined;
  return `${u.pathname}${u.search}${u.hash}`;
}

/** Where each kind of person lands when the sign-in named nowhere. */
export const defaultReturn = (role: 'instructor' | 'learner') =>
  role === 'instructor' ? '/instructor/' : '/';
