/**
 * Single sign-on, as pages see it: `GET /api/auth` says whether the runner offers signing in
 * through an identity provider (and to whom), and who this browser's learner is.
 */
export interface AuthStatus {
  sso: { name: string; learners: 'off' | 'optional' | 'required'; login: string } | null;
  learner: { signedIn: boolean; name?: string | null };
}

export function isAuthStatus(v: unknown): v is AuthStatus {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<AuthStatus>;
  return (
    (s.sso === null || (typeof s.sso === 'object' && typeof s.sso?.name === 'string')) &&
    typeof s.learner === 'object' &&
    s.learner !== null &&
    typeof s.learner.signedIn === 'boolean'
  );
}

/** The status, or undefined when the runner does not say (an older runner, static hosting). */
export async function fetchAuthStatus(
  fetcher: typeof fetch = fetch,
): Promise<AuthStatus | undefined> {
  try {
    const res = await fetcher('/api/auth', {
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) return undefined;
    const body: unknown = await res.json();
    return isAuthStatus(body) ? body : undefined;
  } catch {
    return undefined;
  }
}

/** Where a "Sign in with …" link goes: the runner's login route, then back to `back`. */
export function signInHref(
  status: AuthStatus,
  role: 'instructor' | 'learner',
  back: string,
): string | undefined {
  if (!status.sso) return undefined;
  if (role === 'learner' && status.sso.learners === 'off') return undefined;
  const q = new URLSearchParams({ role, return: back });
  return `${status.sso.login}?${q}`;
}
