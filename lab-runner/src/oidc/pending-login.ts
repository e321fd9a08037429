import { createHmac, timingSafeEqual } from 'node:crypto';

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
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    this.key = createHmac('sha256', secret).update('slipway oidc pending login v1').digest();
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
    const body = Buffer.from(JSON.stringify(c)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The pending sign-in in a cookie value, if it is ours and untouched (expiry not checked). */
  open(value: string | undefined): PendingLogin | undefined {
    if (!value || value.length > 4096) return undefined;
    const dot = value.indexOf('.');
    if (dot <= 0) return undefined;
    const body = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1));
    const want = Buffer.from(this.mac(body));
    if (given.length !== want.length || !timingSafeEqual(given, want)) return undefined;
    let c: Claims;
    try {
      c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Claims;
    } catch {
      return undefined;
    }
    const strings = [c.s, c.n, c.v, c.t].every((x) => typeof x === 'string' && x.length > 0);
    if (!strings || (c.r !== 'instructor' && c.r !== 'learner') || typeof c.e !== 'number')
      return undefined;
    return { state: c.s, nonce: c.n, verifier: c.v, role: c.r, returnTo: c.t, expiresAt: c.e };
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

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

/** Compares two state values without leaking where they differ. */
export function sameState(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
