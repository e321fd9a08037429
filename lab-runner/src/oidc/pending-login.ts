import { timingSafeEqual } from 'node:crypto';
import { SignedJson } from '../identity/signed-json.ts';

/**
 * A sign-in on its way through the provider, kept in a short-lived signed cookie in the
 * browser that started it: the `state` (which the provider hands back), the `nonce` (which
 * must come back inside the ID token) and the PKCE verifier (sent with the code, so a stolen
 * code is useless elsewhere). Nothing is stored on the server until the provider answers, so
 * requests that start sign-ins and never finish them cannot fill the database; once the
 * answer comes, the state is recorded as used (see SignInStore.useState) and never accepted
 * again.
 */
export type SignInRole = 'instructor' | 'learner';

export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  role: SignInRole;
  /** A local path (checked by safeReturnPath). */
  returnTo: string;
  /** Epoch ms after which the sign-in is refused. */
  expiresAt: number;
}

export const PENDING_COOKIE = 'slipway_oidc';
/** Long enough to type a password and answer a second factor. */
export const PENDING_LOGIN_MS = 10 * 60_000;

type Claims = { s: string; n: string; v: string; r: SignInRole; t: string; e: number };

export class PendingLogins {
  private readonly sealed: SignedJson;

  constructor(secret: Buffer) {
    this.sealed = new SignedJson(secret, 'slipway oidc pending login v1');
  }

  seal(p: PendingLogin): string {
    const c: Claims = {
      s: p.state,
      n: p.nonce,
      v: p.verifier,
      r: p.role,
      t: p.returnTo,
      e: p.expiresAt,
    };
    return this.sealed.seal(c);
  }

  /** The pending sign-in in a cookie value, if it is ours and untouched (expiry not checked). */
  open(value: string | undefined): PendingLogin | undefined {
    const c = this.sealed.open(value, 4096) as Partial<Claims> | null | undefined;
    if (typeof c !== 'object' || c === null) return undefined;
    const strings = [c.s, c.n, c.v, c.t].every((x) => typeof x === 'string' && x.length > 0);
    if (!strings || (c.r !== 'instructor' && c.r !== 'learner') || typeof c.e !== 'number')
      return undefined;
    return {
      state: c.s as string,
      nonce: c.n as string,
      verifier: c.v as string,
      role: c.r,
      returnTo: c.t as string,
      expiresAt: c.e,
    };
  }

  /** The Set-Cookie value: only sent back to the sign-in routes, gone after ten minutes. */
  header(value: string | undefined, secure: boolean): string {
    const attrs = [
      `${PENDING_COOKIE}=${value ?? ''}`,
      'Path=/auth/oidc/',
      'HttpOnly',
      // Lax: the provider's redirect back is a top-level GET from another site.
      'SameSite=Lax',
      `Max-Age=${value ? PENDING_LOGIN_MS / 1000 : 0}`,
    ];
    if (secure) attrs.push('Secure');
    return attrs.join('; ');
  }
}

/** Compares two state values without leaking where they differ. */
export function sameState(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
