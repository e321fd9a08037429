import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const LEARNER_COOKIE = 'slipway_learner';

/**
 * A learner's identity until accounts exist: a random id in a signed, HttpOnly cookie.
 * The value is `<id>.<hmac>`; anything else, or a bad signature, is no identity at all.
 */
export class LearnerCookies {
  private readonly secret: Buffer;
  private readonly secure: boolean;
  private readonly maxAgeSeconds: number;

  constructor(opts: { secret: Buffer; secure: boolean; maxAgeDays?: number }) {
    if (opts.secret.length < 32) throw new Error('the cookie secret must be at least 32 bytes');
    this.secret = opts.secret;
    this.secure = opts.secure;
    this.maxAgeSeconds = Math.round((opts.maxAgeDays ?? 365) * 86_400);
  }

  newLearnerId(): string {
    return randomBytes(16).toString('base64url');
  }

  private sign(id: string): string {
    return createHmac('sha256', this.secret).update(`learner:${id}`).digest('base64url');
  }

  /** The learner id in a Cookie header, if present and correctly signed. */
  read(cookieHeader: string | undefined): string | undefined {
    const raw = parseCookies(cookieHeader)[LEARNER_COOKIE];
    if (!raw) return undefined;
    const dot = raw.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const id = raw.slice(0, dot);
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(id)) return undefined;
    const given = Buffer.from(raw.slice(dot + 1));
    const want = Buffer.from(this.sign(id));
    return given.length === want.length && timingSafeEqual(given, want) ? id : undefined;
  }

  /** A Set-Cookie header value for this learner. */
  header(id: string): string {
    const attrs = [
      `${LEARNER_COOKIE}=${id}.${this.sign(id)}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Lax',
      `Max-Age=${this.maxAgeSeconds}`,
    ];
    if (this.secure) attrs.push('Secure');
    return attrs.join('; ');
  }
}

/** Every value a Cookie header gives one name (a browser sends several for several paths). */
export function cookieValues(header: string | undefined, name: string): string[] {
  const out: string[] = [];
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) out.push(part.slice(eq + 1).trim());
  }
  return out;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key && !(key in out)) out[key] = value;
  }
  return out;
}
