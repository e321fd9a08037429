import { ClientError } from 'openid-client';
import { describe, expect, it } from 'vitest';
import { refusalReason } from './refusal-reason.ts';

/** The shape openid-client throws: a ClientError around oauth4webapi's coded error. */
const clientError = (code: string, message: string, claim?: string) =>
  new ClientError('wrapped', {
    code,
    cause: Object.assign(new Error(message), { code, cause: claim ? { claim } : {} }),
  } as ErrorOptions);

describe('refusalReason', () => {
  it('names the claim that failed', () => {
    expect(
      refusalReason(clientError('OAUTH_JWT_TIMESTAMP_CHECK_FAILED', 'exp is past', 'exp')),
    ).toEqual({ kind: 'refused', reason: 'the sign-in token has expired' });
    expect(
      refusalReason(clientError('OAUTH_JWT_CLAIM_COMPARISON_FAILED', 'unexpected aud', 'aud'))
        .reason,
    ).toBe('the sign-in token was issued for another application');
    expect(
      refusalReason(clientError('OAUTH_JWT_CLAIM_COMPARISON_FAILED', 'unexpected nonce', 'nonce'))
        .reason,
    ).toBe('the sign-in token belongs to another sign-in');
    expect(
      refusalReason(clientError('OAUTH_JWT_CLAIM_COMPARISON_FAILED', 'unexpected iss', 'iss'))
        .reason,
    ).toBe('the sign-in token comes from another provider');
  });

  it('tells a bad signature and an unknown key apart', () => {
    expect(
      refusalReason(clientError('OAUTH_INVALID_RESPONSE', 'JWT signature verification failed'))
        .reason,
    ).toBe('the sign-in token’s signature does not match the provider’s keys');
    expect(
      refusalReason(clientError('OAUTH_KEY_SELECTION_FAILED', 'no applicable keys')).reason,
    ).toBe('the sign-in token is signed with a key the provider does not publish');
  });

  it('calls a provider that does not answer unavailable, not a refusal', () => {
    expect(refusalReason(clientError('OAUTH_TIMEOUT', 'operation timed out')).kind).toBe(
      'unavailable',
    );
    expect(refusalReason(new TypeError('fetch failed')).kind).toBe('unavailable');
  });

  it('says something plain about anything else', () => {
    expect(refusalReason(new Error('?'))).toEqual({
      kind: 'refused',
      reason: 'its answer did not pass Slipway’s checks',
    });
  });
});
