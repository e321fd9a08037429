/** What the dashboard's API tokens panel shows, worked out apart from the page. */
import type { ApiTokenInfo } from '../../../../lab-runner/src/accounts/api-token-store.ts';
import { ago } from './format.ts';

export type { ApiTokenInfo };

/** `POST /api/instructor/tokens` (201): the token itself, in this one answer only. */
export type CreatedToken = ApiTokenInfo & { token: string };

export const MAX_LABEL = 60;

/** Why a label cannot be used, or undefined when it can. */
export function labelProblem(label: string): string | undefined {
  const t = label.trim();
  if (!t) return 'Name the token after what will use it, e.g. “grades sync”.';
  if (t.length > MAX_LABEL) return `Keep the name under ${MAX_LABEL + 1} characters.`;
  return undefined;
}

/** One line of the list: the name, the token's start, and when it was made and last used. */
export function tokenLine(t: ApiTokenInfo, now: number) {
  return {
    label: t.label,
    prefix: `${t.prefix}…`,
    created: `made ${ago(now - Date.parse(t.createdAt))}`,
    used: t.lastUsedAt ? `used ${ago(now - Date.parse(t.lastUsedAt))}` : 'never used',
  };
}

/** A first request to try with a new token (the API's entry point). */
export function curlExample(origin: string, token: string): string {
  return `curl -H "Authorization: Bearer ${token}" ${origin}/api/v1/classes`;
}

/** Where the read API's OpenAPI document is served. */
export const OPENAPI_PATH = '/api/v1/openapi.json';
