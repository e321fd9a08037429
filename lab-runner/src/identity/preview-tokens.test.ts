import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ENTRY_TOKEN_MS, PREVIEW_COOKIE_MS, PreviewTokens } from './preview-tokens.ts';

const tokens = new PreviewTokens(randomBytes(32));
const grant = { learnerId: 'learner-aaaaaaaaaaaa', labId: 'ocs-split', sandboxId: 'abc123' };
const t0 = 1_700_000_000_000;

describe('PreviewTokens', () => {
  it('an entry token carries its grant and path for a minute only', () => {
    const t = tokens.entry({ ...grant, path: '/preview/ocs-split/3000/' }, t0);
    expect(tokens.readEntry(t, t0 + ENTRY_TOKEN_MS - 1)).toEqual({
      ...grant,
      path: '/preview/ocs-split/3000/',
    });
    expect(tokens.readEntry(t, t0 + ENTRY_TOKEN_MS)).toBeUndefined();
  });

  it('a preview cookie lasts hours, not forever', () => {
    const t = tokens.preview(grant, t0);
    expect(tokens.readPreview(t, t0 + PREVIEW_COOKIE_MS - 1)).toEqual(grant);
    expect(tokens.readPreview(t, t0 + PREVIEW_COOKIE_MS)).toBeUndefined();
  });

  it('one kind is never taken for the other', () => {
    const entry = tokens.entry({ ...grant, path: '/preview/ocs-split/3000/' }, t0);
    const preview = tokens.preview(grant, t0);
    expect(tokens.readPreview(entry, t0)).toBeUndefined();
    expect(tokens.readEntry(preview, t0)).toBeUndefined();
  });

  it('refuses tampered, foreign and malformed tokens', () => {
    const t = tokens.preview(grant, t0);
    const [body, mac] = t.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), s: 'other' }),
    ).toString('base64url');
    expect(tokens.readPreview(`${forged}.${mac}`, t0)).toBeUndefined();
    expect(new PreviewTokens(randomBytes(32)).readPreview(t, t0)).toBeUndefined();
    for (const bad of [undefined, '', '.', 'abc', `${body}.`, `.${mac}`, 'x'.repeat(5000)])
      expect(tokens.readPreview(bad, t0)).toBeUndefined();
  });
});
