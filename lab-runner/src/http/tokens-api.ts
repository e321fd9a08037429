import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiTokenStore } from '../accounts/api-token-store.ts';
import type { Instructor } from '../accounts/instructor-store.ts';
import { slipwayError } from '../errors/catalogue.ts';
import { createApiTokenBodySchema } from '../protocol/index.ts';
import { readJson } from './request-body.ts';
import { sendJson } from './responses.ts';

/** Enough for every script and service an instructor runs; more is a sign of leaking ones. */
export const MAX_API_TOKENS = 20;

const ROUTE = /^\/api\/instructor\/tokens(?:\/(tok_[\w-]{8,40}))?$/;

/**
 * The signed-in instructor's read API tokens: list, create (the token is in this one answer
 * only) and revoke. Only their own tokens exist for them.
 */
export async function handleTokensApi(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  me: Instructor,
  tokens: ApiTokenStore,
): Promise<boolean> {
  const m = ROUTE.exec(path);
  if (!m) return false;
  const method = req.method ?? 'GET';
  const id = m[1];
  if (id) {
    if (method !== 'DELETE') throw slipwayError('METHOD_NOT_ALLOWED', { method });
    if (!tokens.revoke(me.id, id)) throw slipwayError('API_TOKEN_NOT_FOUND');
    return sendJson(res, 200, { ok: true });
  }
  if (method === 'GET') return sendJson(res, 200, { tokens: tokens.list(me.id) });
  if (method !== 'POST') throw slipwayError('METHOD_NOT_ALLOWED', { method });
  const body = await readJson(req, createApiTokenBodySchema);
  if (tokens.list(me.id).length >= MAX_API_TOKENS)
    throw slipwayError('BAD_REQUEST', {
      detail: `an instructor has at most ${MAX_API_TOKENS} tokens; revoke one first`,
    });
  const { token, info } = tokens.create(me.id, body.label);
  return sendJson(res, 201, { ...info, token });
}
