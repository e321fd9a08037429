import { createHash, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Course } from '../../../site/src/build/course.ts';
import { SignedJson } from '../identity/signed-json.ts';
import { LTI, LTI_DL, type LtiPlatform } from '../protocol/index.ts';
import type { LabPlace } from './score.ts';
import type { ToolKey } from './tool-key.ts';

/**
 * Deep linking: an instructor, launched from the LMS's "add an activity", picks modules,
 * lessons or labs on Slipway's page; Slipway answers the LMS with a signed
 * LtiDeepLinkingResponse of `ltiResourceLink` items (a lab's with a line item for its score),
 * auto-posted to the platform's return URL.
 */
export interface DeepLinkRequest {
  issuer: string;
  clientId: string;
  deploymentId: string;
  returnUrl: string;
  data: string | undefined;
  expiresAt: number;
}

/** An instructor has this long on the picker page. */
export const PICK_MS = 30 * 60_000;

export class DeepLinkRequests {
  private readonly sealed: SignedJson;
  constructor(secret: Buffer) {
    this.sealed = new SignedJson(secret, 'slipway lti deep link v1');
  }
  seal(r: DeepLinkRequest): string {
    return this.sealed.seal(r);
  }
  open(value: string | undefined, now = Date.now()): DeepLinkRequest | undefined {
    const r = this.sealed.open(value, 4096) as Partial<DeepLinkRequest> | null | undefined;
    if (typeof r !== 'object' || r === null) return undefined;
    if (typeof r.expiresAt !== 'number' || r.expiresAt < now) return undefined;
    return r as DeepLinkRequest;
  }
}

export interface PickItem {
  kind: 'module' | 'lesson' | 'lab';
  id: string;
  title: string;
}

/** Everything the picker offers, in course order: a module, its lessons, then their labs. */
export function pickable(course: Course, places: ReadonlyMap<string, LabPlace>): PickItem[] {
  const out: PickItem[] = [];
  for (const m of course.modules) {
    out.push({ kind: 'module', id: m.slug, title: m.title });
    for (const l of m.lessons) {
      if (l.hidden) continue;
      out.push({ kind: 'lesson', id: l.id, title: l.title });
      if (l.lab && places.get(l.lab)?.lessonId === l.id)
        out.push({ kind: 'lab', id: l.lab, title: `Lab: ${l.title}` });
    }
  }
  return out;
}

export async function deepLinkResponse(
  key: ToolKey,
  platform: LtiPlatform,
  request: DeepLinkRequest,
  items: PickItem[],
  launchUrl: string,
  maxima: (labId: string) => number,
): Promise<string> {
  const contentItems = items.map((i) => ({
    type: 'ltiResourceLink',
    title: i.title,
    url: launchUrl,
    custom: { [i.kind]: i.id },
    ...(i.kind === 'lab'
      ? { lineItem: { scoreMaximum: Math.max(1, maxima(i.id)), label: i.title, resourceId: i.id } }
      : {}),
  }));
  return new SignJWT({
    nonce: randomUUID(),
    [`${LTI}message_type`]: 'LtiDeepLinkingResponse',
    [`${LTI}version`]: '1.3.0',
    [`${LTI}deployment_id`]: request.deploymentId,
    [`${LTI_DL}content_items`]: contentItems,
    ...(request.data !== undefined ? { [`${LTI_DL}data`]: request.data } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(platform.clientId)
    .setAudience(platform.issuer)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key.privateKey);
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}li{list-style:none}.lesson{margin-left:1.5rem}.lab{margin-left:3rem}';

function page(title: string, body: string, extraCsp = ''): { html: string; csp: string } {
  return {
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>${escapeHtml(title)} · Slipway</title><style>${STYLE}</style></head><body>${body}</body></html>\n`,
    csp: `default-src 'none'; style-src 'unsafe-inline'; form-action *${extraCsp}`,
  };
}

/** The picker: one checkbox per module, lesson and lab; posts to `/lti/deep-link`. */
export function pickerPage(items: PickItem[], sealed: string, platformName: string) {
  const rows = items
    .map(
      (i) =>
        `<li class="${i.kind}"><label><input type="checkbox" name="item" value="${escapeHtml(`${i.kind}:${i.id}`)}"> ${escapeHtml(i.title)}</label></li>`,
    )
    .join('');
  return page(
    'Add Slipway activities',
    `<main><h1>Add Slipway activities to your ${escapeHtml(platformName)} course</h1><form method="post" action="/lti/deep-link"><input type="hidden" name="request" value="${escapeHtml(sealed)}"><ul>${rows}</ul><button type="submit">Add to the course</button></form></main>`,
  );
}

/** The page that hands the signed response back to the LMS (a form it submits by itself). */
export function returnPage(returnUrl: string, jwt: string) {
  const script = 'document.forms[0].submit();';
  const hash = createHash('sha256').update(script).digest('base64');
  return page(
    'Back to your course',
    `<form method="post" action="${escapeHtml(returnUrl)}"><input type="hidden" name="JWT" value="${escapeHtml(jwt)}"><noscript><button type="submit">Back to your course</button></noscript></form><script>${script}</script>`,
    `; script-src 'sha256-${hash}'`,
  );
}
