import { SignedJson } from '../identity/signed-json.ts';

/**
 * A launch between the platform's login initiation and its id_token: the state and nonce
 * Slipway asked for, in a sealed cookie of the browser that started it, named by the state so
 * launches in several tabs do not replace each other. The platform posts the id_token back
 * from its own site, so the cookie is `SameSite=None; Secure` on an https site; on plain http
 * browsers drop such a cookie, and only same-site (or cookie-less test) launches work.
 */
export interface PendingLaunch {
  state: string;
  nonce: string;
  issuer: string;
  clientId: string;
  expiresAt: number;
}

export const PENDING_LAUNCH_MS = 5 * 60_000;
const PREFIX = 'slipway_lti_';

export class PendingLaunches {
  private readonly sealed: SignedJson;

  constructor(secret: Buffer) {
    this.sealed = new SignedJson(secret, 'slipway lti pending launch v1');
  }

  cookieName(state: string): string {
    return `${PREFIX}${state.slice(0, 22)}`;
  }

  header(p: PendingLaunch | undefined, state: string, secure: boolean): string {
    const attrs = [
      `${this.cookieName(state)}=${p ? this.sealed.seal(p) : ''}`,
      'Path=/lti/',
      'HttpOnly',
      secure ? 'SameSite=None' : 'SameSite=Lax',
      `Max-Age=${p ? PENDING_LAUNCH_MS / 1000 : 0}`,
    ];
    if (secure) attrs.push('Secure');
    return attrs.join('; ');
  }

  isPendingCookie(name: string): boolean {
    return name.startsWith(PREFIX);
  }

  /** A Set-Cookie value that removes a pending launch's cookie by its name. */
  expireHeader(name: string, secure: boolean): string {
    return `${name}=; Path=/lti/; HttpOnly; ${secure ? 'SameSite=None; Secure' : 'SameSite=Lax'}; Max-Age=0`;
  }

  open(value: string | undefined): PendingLaunch | undefined {
    const v = this.sealed.open(value, 2048) as Partial<PendingLaunch> | null | undefined;
    if (typeof v !== 'object' || v === null) return undefined;
    const ok =
      [v.state, v.nonce, v.issuer, v.clientId].every((x) => typeof x === 'string' && x) &&
      typeof v.expiresAt === 'number';
    return ok ? (v as PendingLaunch) : undefined;
  }
}
