import { decodeJwt, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import {
  friendlyParse,
  type LaunchClaims,
  LTI,
  type LtiPlatform,
  launchClaimsSchema,
} from '../protocol/index.ts';
import { platformFor } from './platforms.ts';

/** Why a launch was refused: a name for the log and tests, and words an LMS admin understands. */
export type RefusalKind =
  | 'malformed'
  | 'unknown-issuer'
  | 'bad-signature'
  | 'expired'
  | 'wrong-audience'
  | 'replayed-nonce'
  | 'unknown-deployment'
  | 'missing-claims'
  | 'state-mismatch'
  | 'not-an-instructor'
  | 'unavailable';

export class LaunchRefusal extends Error {
  readonly kind: RefusalKind;
  constructor(kind: RefusalKind, reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.kind = kind;
  }
}

export interface LaunchCheck {
  platforms: readonly LtiPlatform[];
  /** The platform's published keys (jose's createRemoteJWKSet, cached per platform). */
  keysOf: (p: LtiPlatform) => JWTVerifyGetKey;
  /** The nonce this browser's login asked for. */
  nonce: string;
  /** Records a nonce as used until `expiresAt`; false when it already was. */
  useNonce: (issuer: string, nonce: string, expiresAt: Date) => boolean;
  now?: Date;
}

export interface Launch {
  platform: LtiPlatform;
  claims: LaunchClaims;
}

/** Allowed difference between the platform's clock and ours. */
const CLOCK_SKEW_S = 60;
/** A launch's token older than this is refused, whatever its `exp` says. */
const MAX_TOKEN_AGE_S = 10 * 60;

/**
 * Checks an LTI 1.3 launch's id_token as the spec's security framework asks: signed (RS256)
 * by a key the platform publishes, issued by a registered platform for Slipway's client id
 * (`aud`, and `azp` when there are several audiences), fresh, with the nonce of this browser's
 * login (used once), for a known deployment, and carrying the LTI 1.3 claims the message
 * needs. Every failure is a LaunchRefusal naming the check.
 */
export async function verifyLaunch(idToken: string, check: LaunchCheck): Promise<Launch> {
  let unverified: ReturnType<typeof decodeJwt>;
  try {
    unverified = decodeJwt(idToken);
  } catch (err) {
    throw new LaunchRefusal('malformed', 'the id_token is not a JWT', { cause: err });
  }
  const issuer = typeof unverified.iss === 'string' ? unverified.iss : '';
  const audiences = [unverified.aud ?? []].flat();
  const platform =
    check.platforms.find((p) => p.issuer === issuer && audiences.includes(p.clientId)) ??
    platformFor(check.platforms, issuer);
  if (!platform)
    throw new LaunchRefusal(
      'unknown-issuer',
      `the launch comes from ${JSON.stringify(issuer.slice(0, 200))}, which is not a platform registered in SLIPWAY_LTI_PLATFORMS`,
    );
  const now = check.now ?? new Date();
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(idToken, check.keysOf(platform), {
      issuer: platform.issuer,
      audience: platform.clientId,
      algorithms: ['RS256'],
      clockTolerance: CLOCK_SKEW_S,
      maxTokenAge: MAX_TOKEN_AGE_S,
      requiredClaims: ['exp', 'iat', 'sub', 'nonce'],
      currentDate: now,
    }));
  } catch (err) {
    throw joseRefusal(err, platform);
  }
  if (audiences.length > 1 && payload.azp !== platform.clientId)
    throw new LaunchRefusal(
      'wrong-audience',
      `the launch names several audiences and its azp is not Slipway's client id ${platform.clientId}`,
    );
  if (payload.azp !== undefined && payload.azp !== platform.clientId)
    throw new LaunchRefusal('wrong-audience', `the launch's azp is not ${platform.clientId}`);
  if (payload.nonce !== check.nonce)
    throw new LaunchRefusal(
      'replayed-nonce',
      'the launch carries a nonce this browser’s login did not ask for',
    );
  const exp = new Date((payload.exp as number) * 1000);
  if (!check.useNonce(platform.issuer, check.nonce, exp))
    throw new LaunchRefusal('replayed-nonce', 'this launch was already used once');
  const deployment = payload[`${LTI}deployment_id`];
  if (typeof deployment === 'string' && !platform.deploymentIds.includes(deployment))
    throw new LaunchRefusal(
      'unknown-deployment',
      `the deployment id ${JSON.stringify(deployment.slice(0, 200))} is not one of ${platform.name}'s in SLIPWAY_LTI_PLATFORMS`,
    );
  const parsed = friendlyParse(launchClaimsSchema, payload);
  if (!parsed.ok)
    throw new LaunchRefusal(
      'missing-claims',
      `the launch lacks LTI 1.3 claims or has them wrong: ${parsed.problems
        .map((p) => `${p.field || 'message'}: ${p.expected}`)
        .join('; ')
        .slice(0, 600)}`,
    );
  return { platform, claims: parsed.value };
}

function joseRefusal(err: unknown, platform: LtiPlatform): LaunchRefusal {
  const cause = { cause: err };
  if (err instanceof errors.JWTExpired)
    return new LaunchRefusal('expired', 'the launch’s token has expired', cause);
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud')
      return new LaunchRefusal(
        'wrong-audience',
        `the launch is meant for another tool (its aud is not Slipway's client id ${platform.clientId})`,
        cause,
      );
    if (err.claim === 'iat' && err.reason === 'check_failed')
      return new LaunchRefusal('expired', 'the launch’s token is too old', cause);
    if (err.reason === 'missing')
      return new LaunchRefusal('missing-claims', `the launch has no ${err.claim} claim`, cause);
    return new LaunchRefusal(
      'malformed',
      `the launch’s ${err.claim} claim is wrong (are the LMS’s and Slipway’s clocks right?)`,
      cause,
    );
  }
  if (
    err instanceof errors.JWSSignatureVerificationFailed ||
    err instanceof errors.JWKSNoMatchingKey ||
    err instanceof errors.JOSEAlgNotAllowed
  )
    return new LaunchRefusal(
      'bad-signature',
      `the launch is not signed by a key ${platform.name} publishes at ${platform.jwksUrl}`,
      cause,
    );
  if (
    err instanceof errors.JWKSTimeout ||
    err instanceof errors.JWKSInvalid ||
    err instanceof TypeError
  )
    return new LaunchRefusal(
      'unavailable',
      `${platform.name}'s keys could not be read from ${platform.jwksUrl}`,
      cause,
    );
  return new LaunchRefusal('malformed', 'the launch’s token could not be read', cause);
}
