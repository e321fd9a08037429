import { SignedJson } from './signed-json.ts';

/**
 * Credentials of the preview origin, which never sees the learner's own cookie's authority:
 * - an **entry** token, made by the site for a learner who opens a preview, good for a minute
 *   and for one path: the preview origin trades it for
 * - a **preview** cookie, good for one lab's previews of one sandbox (it dies with the sandbox)
 *   and for a few hours at most.
 * Both are `<base64url JSON>.<HMAC>` under a key of their own, derived from the site secret.
 */
export interface PreviewGrant {
  learnerId: string;
  labId: string;
  sandboxId: string;
}

export interface EntryGrant extends PreviewGrant {
  /** Where the learner goes after entering, e.g. `/preview/ocs-split/3000/d/home?x=1`. */
  path: string;
}

export const ENTRY_TOKEN_MS = 60_000;
export const PREVIEW_COOKIE_MS = 4 * 3_600_000;

type Claims = { k: 'entry' | 'preview'; l: string; b: string; s: string; p?: string; e: number };

export class PreviewTokens {
  private readonly sealed: SignedJson;

  constructor(secret: Buffer) {
    this.sealed = new SignedJson(secret, 'slipway preview tokens v1');
  }

  entry(g: EntryGrant, now = Date.now()): string {
    return this.seal({
      k: 'entry',
      l: g.learnerId,
      b: g.labId,
      s: g.sandboxId,
      p: g.path,
      e: now + ENTRY_TOKEN_MS,
    });
  }

  preview(g: PreviewGrant, now = Date.now()): string {
    return this.seal({
      k: 'preview',
      l: g.learnerId,
      b: g.labId,
      s: g.sandboxId,
      e: now + PREVIEW_COOKIE_MS,
    });
  }

  readEntry(token: string | undefined, now = Date.now()): EntryGrant | undefined {
    const c = this.open(token, 'entry', now);
    return c && typeof c.p === 'string'
      ? { learnerId: c.l, labId: c.b, sandboxId: c.s, path: c.p }
      : undefined;
  }

  readPreview(token: string | undefined, now = Date.now()): PreviewGrant | undefined {
    const c = this.open(token, 'preview', now);
    return c ? { learnerId: c.l, labId: c.b, sandboxId: c.s } : undefined;
  }

  private seal(c: Claims): string {
    return this.sealed.seal(c);
  }

  private open(token: string | undefined, kind: Claims['k'], now: number): Claims | undefined {
    const c = this.sealed.open(token, 2048) as Partial<Claims> | null | undefined;
    if (typeof c !== 'object' || c === null) return undefined;
    const ok =
      c.k === kind &&
      typeof c.l === 'string' &&
      typeof c.b === 'string' &&
      typeof c.s === 'string' &&
      typeof c.e === 'number' &&
      now < c.e;
    return ok ? (c as Claims) : undefined;
  }
}

/** The cookie that carries a preview grant: one per lab, sent only under its previews. */
export const previewCookieName = (labId: string) => `slipway_preview_${labId}`;
