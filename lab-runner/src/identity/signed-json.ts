import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * JSON sealed as `<base64url JSON>.<HMAC-SHA256>` under a key derived from the site secret and
 * a purpose, so a value sealed for one purpose never opens for another. `open` checks the MAC
 * in constant time and returns the parsed JSON, unchecked: the caller validates its shape.
 */
export class SignedJson {
  private readonly key: Buffer;

  constructor(secret: Buffer, purpose: string) {
    this.key = createHmac('sha256', secret).update(purpose).digest();
  }

  seal(value: unknown): string {
    const body = Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The sealed JSON, or undefined when the value is missing, too long, altered or not JSON. */
  open(value: string | undefined, maxLength: number): unknown {
    if (!value || value.length > maxLength) return undefined;
    const dot = value.indexOf('.');
    if (dot <= 0) return undefined;
    const body = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1));
    const want = Buffer.from(this.mac(body));
    if (given.length !== want.length || !timingSafeEqual(given, want)) return undefined;
    try {
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
