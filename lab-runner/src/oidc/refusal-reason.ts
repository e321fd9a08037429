/**
 * Why the OpenID Connect library refused a sign-in, in words a learner can read. The library
 * (openid-client, on oauth4webapi) does every check; this only names the one that failed,
 * from the error's code and the claim it names. The full error goes to the log.
 */
export type Refusal = { kind: 'refused' | 'unavailable'; reason: string };

interface CodedError {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  error?: unknown;
  name?: unknown;
}

const asCoded = (e: unknown): CodedError =>
  e !== null && typeof e === 'object' ? (e as CodedError) : {};

/** The innermost error with a code, and the claim the check was about, if any. */
function details(err: unknown): { codes: string[]; claim?: string; messages: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  let claim: string | undefined;
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e; depth++) {
    const c = asCoded(e);
    if (typeof c.code === 'string') codes.push(c.code);
    if (typeof c.message === 'string') messages.push(c.message);
    const cause = asCoded(c.cause);
    if (typeof (cause as { claim?: unknown }).claim === 'string')
      claim ??= (cause as { claim: string }).claim;
    e = c.cause;
  }
  return { codes, claim, messages };
}

const TOKEN = 'the sign-in token';

export function refusalReason(err: unknown): Refusal {
  const { codes, claim, messages } = details(err);
  const has = (code: string) => codes.includes(code);
  const said = (text: string) => messages.some((m) => m.includes(text));
  if (has('OAUTH_TIMEOUT') || (err instanceof TypeError && said('fetch failed')))
    return { kind: 'unavailable', reason: 'it did not answer in time' };
  if (has('OAUTH_JWT_TIMESTAMP_CHECK_FAILED')) {
    if (claim === 'exp') return { kind: 'refused', reason: `${TOKEN} has expired` };
    if (claim === 'nbf' || claim === 'iat')
      return {
        kind: 'refused',
        reason: `${TOKEN} is not valid at this time (are the provider’s and this server’s clocks right?)`,
      };
    return { kind: 'refused', reason: `${TOKEN} is too old` };
  }
  if (has('OAUTH_JWT_CLAIM_COMPARISON_FAILED')) {
    if (claim === 'aud' || claim === 'azp')
      return { kind: 'refused', reason: `${TOKEN} was issued for another application` };
    if (claim === 'iss') return { kind: 'refused', reason: `${TOKEN} comes from another provider` };
    if (claim === 'nonce')
      return { kind: 'refused', reason: `${TOKEN} belongs to another sign-in` };
    return { kind: 'refused', reason: `${TOKEN} does not match this sign-in` };
  }
  if (has('OAUTH_KEY_SELECTION_FAILED'))
    return {
      kind: 'refused',
      reason: `${TOKEN} is signed with a key the provider does not publish`,
    };
  if (said('signature verification failed'))
    return { kind: 'refused', reason: `${TOKEN}’s signature does not match the provider’s keys` };
  const top = asCoded(err);
  if (has('OAUTH_RESPONSE_BODY_ERROR') && typeof top.error === 'string')
    return { kind: 'refused', reason: `the provider turned the sign-in down (${top.error})` };
  if (has('OAUTH_RESPONSE_IS_NOT_CONFORM') || has('OAUTH_RESPONSE_IS_NOT_JSON'))
    return { kind: 'unavailable', reason: 'it answered with an error' };
  return { kind: 'refused', reason: 'its answer did not pass Slipway’s checks' };
}
