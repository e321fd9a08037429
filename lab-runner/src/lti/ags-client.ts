import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import {
  friendlyParse,
  type LtiPlatform,
  lineItemSchema,
  tokenResponseSchema,
} from '../protocol/index.ts';
import type { ToolKey } from './tool-key.ts';

export const SCOPE_LINEITEM = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem';
export const SCOPE_SCORE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
export const SCOPE_NRPS =
  'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';

/** A platform's answer that was not a success: the status (if any) decides on a retry. */
export class PlatformError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

const TIMEOUT_MS = 10_000;

/**
 * Slipway's access to a platform's services (LTI Advantage): OAuth 2 client credentials with a
 * `private_key_jwt` client assertion signed by the tool key, one token per set of scopes kept
 * until shortly before it expires.
 */
export class PlatformServices {
  private readonly key: ToolKey;
  private readonly tokens = new Map<string, { token: string; until: number }>();

  constructor(key: ToolKey) {
    this.key = key;
  }

  async token(p: LtiPlatform, scopes: readonly string[]): Promise<string> {
    const cacheKey = `${p.issuer} ${p.clientId} ${[...scopes].sort().join(' ')}`;
    const cached = this.tokens.get(cacheKey);
    if (cached && cached.until > Date.now()) return cached.token;
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: this.key.kid, typ: 'JWT' })
      .setIssuer(p.clientId)
      .setSubject(p.clientId)
      .setAudience(p.tokenUrl)
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti(randomUUID())
      .sign(this.key.privateKey);
    const res = await fetch(p.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        scope: scopes.join(' '),
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const body = await jsonOf(res, `${p.name}'s token endpoint`);
    const parsed = friendlyParse(tokenResponseSchema, body);
    if (!parsed.ok) throw new PlatformError(`${p.name}'s token endpoint gave no access token`);
    const lifetime = (parsed.value.expires_in ?? 3600) * 1000;
    this.tokens.set(cacheKey, {
      token: parsed.value.access_token,
      until: Date.now() + Math.max(0, lifetime - 60_000),
    });
    return parsed.value.access_token;
  }

  /** A request to a service with a token for `scopes`; the answer's JSON, or a PlatformError. */
  async call(
    p: LtiPlatform,
    scopes: readonly string[],
    url: string,
    init: {
      method?: string;
      accept: string;
      contentType?: string;
      body?: unknown;
      onHeaders?: (h: Headers) => void;
    },
  ): Promise<unknown> {
    const token = await this.token(p, scopes);
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        accept: init.accept,
        ...(init.contentType ? { 'content-type': init.contentType } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (res.status === 401) this.tokens.clear();
    init.onHeaders?.(res.headers);
    return jsonOf(res, url);
  }

  /**
   * The line item a lab's scores go to: the resource link's own when the launch named one,
   * else the context's line item with the lab's id as its resourceId, made when missing.
   */
  async lineItem(
    p: LtiPlatform,
    t: { lineitemUrl: string | null; lineitemsUrl: string | null; resourceLinkId: string },
    lab: { id: string; title: string; maximum: number },
  ): Promise<string> {
    if (t.lineitemUrl) return t.lineitemUrl;
    if (!t.lineitemsUrl) throw new PlatformError(`${p.name} gave this launch no gradebook`);
    const scopes = [SCOPE_LINEITEM, SCOPE_SCORE];
    const list = new URL(t.lineitemsUrl);
    list.searchParams.set('resource_id', lab.id);
    const found = await this.call(p, scopes, list.href, {
      accept: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
    });
    const items = Array.isArray(found) ? found : [];
    for (const item of items) {
      const parsed = friendlyParse(lineItemSchema, item);
      if (parsed.ok && parsed.value.resourceId === lab.id) return parsed.value.id;
    }
    const made = friendlyParse(
      lineItemSchema,
      await this.call(p, scopes, t.lineitemsUrl, {
        method: 'POST',
        accept: 'application/vnd.ims.lis.v2.lineitem+json',
        contentType: 'application/vnd.ims.lis.v2.lineitem+json',
        body: {
          label: lab.title,
          scoreMaximum: Math.max(1, lab.maximum),
          resourceId: lab.id,
          resourceLinkId: t.resourceLinkId,
        },
      }),
    );
    if (!made.ok) throw new PlatformError(`${p.name} made no line item for ${lab.id}`);
    return made.value.id;
  }

  async postScore(
    p: LtiPlatform,
    lineItem: string,
    score: {
      userId: string;
      scoreGiven: number;
      scoreMaximum: number;
      activityProgress: string;
      gradingProgress: string;
      timestamp: string;
    },
  ): Promise<void> {
    const url = new URL(lineItem);
    url.pathname = `${url.pathname.replace(/\/$/, '')}/scores`;
    await this.call(p, [SCOPE_SCORE], url.href, {
      method: 'POST',
      accept: 'application/json',
      contentType: 'application/vnd.ims.lis.v1.score+json',
      body: score,
    });
  }
}

async function jsonOf(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  if (!res.ok)
    throw new PlatformError(`${what} answered ${res.status}: ${text.slice(0, 200)}`, res.status);
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new PlatformError(`${what} answered with something that is not JSON`, res.status);
  }
}
