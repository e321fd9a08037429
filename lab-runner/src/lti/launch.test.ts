import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { LTI, type LtiPlatform } from '../protocol/index.ts';
import { LaunchRefusal, verifyLaunch } from './launch.ts';

const platform: LtiPlatform = {
  name: 'Moodle',
  issuer: 'https://lms.example.org',
  clientId: 'tool-1',
  deploymentIds: ['1'],
  authLoginUrl: 'https://lms.example.org/auth',
  tokenUrl: 'https://lms.example.org/token',
  jwksUrl: 'https://lms.example.org/jwks',
};
let key: CryptoKey;
let other: CryptoKey;
let keys: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  key = pair.privateKey;
  other = (await generateKeyPair('RS256')).privateKey;
  keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1' }] });
});

const good = (): JWTPayload => ({
  iss: platform.issuer,
  aud: platform.clientId,
  sub: 'user-1',
  nonce: 'n-1',
  [`${LTI}message_type`]: 'LtiResourceLinkRequest',
  [`${LTI}version`]: '1.3.0',
  [`${LTI}deployment_id`]: '1',
  [`${LTI}roles`]: [],
  [`${LTI}context`]: { id: 'c1' },
  [`${LTI}resource_link`]: { id: 'r1' },
});

async function sign(claims: JWTPayload, signer = key, ttl = '5m'): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' });
  if (claims.iat === undefined) jwt.setIssuedAt();
  if (claims.exp === undefined) jwt.setExpirationTime(ttl);
  return jwt.sign(signer);
}

function check(used = new Set<string>()) {
  return {
    platforms: [platform],
    keysOf: () => keys,
    nonce: 'n-1',
    useNonce: (iss: string, nonce: string) => {
      const k = `${iss} ${nonce}`;
      if (used.has(k)) return false;
      used.add(k);
      return true;
    },
  };
}

async function refusal(token: string, c = check()): Promise<LaunchRefusal> {
  const err = await verifyLaunch(token, c).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(LaunchRefusal);
  return err as LaunchRefusal;
}

describe('verifyLaunch', () => {
  it('takes a well-formed launch once', async () => {
    const used = new Set<string>();
    const token = await sign(good());
    const launch = await verifyLaunch(token, check(used));
    expect(launch.platform.name).toBe('Moodle');
    expect(launch.claims.sub).toBe('user-1');
    expect((await refusal(token, check(used))).kind).toBe('replayed-nonce');
  });

  it('names each failed check', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    const cases: Array<[JWTPayload, string, CryptoKey?]> = [
      [{ ...good(), iss: 'https://other.example' }, 'unknown-issuer'],
      [good(), 'bad-signature', other],
      [{ ...good(), iat: past - 10, exp: past }, 'expired'],
      [{ ...good(), iat: past }, 'expired'],
      [{ ...good(), aud: 'someone-else' }, 'wrong-audience'],
      [{ ...good(), aud: ['tool-1', 'x'] }, 'wrong-audience'],
      [{ ...good(), azp: 'x' }, 'wrong-audience'],
      [{ ...good(), nonce: 'n-2' }, 'replayed-nonce'],
      [{ ...good(), [`${LTI}deployment_id`]: '2' }, 'unknown-deployment'],
      [{ ...good(), [`${LTI}version`]: '1.1' }, 'missing-claims'],
      [{ ...good(), [`${LTI}resource_link`]: undefined }, 'missing-claims'],
      [{ ...good(), sub: undefined }, 'missing-claims'],
      // Scores would carry a token in the clear.
      [
        {
          ...good(),
          'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': {
            scope: [],
            lineitems: 'http://lms.example.org/lineitems',
          },
        },
        'missing-claims',
      ],
    ];
    for (const [claims, kind, signer] of cases) {
      const r = await refusal(await sign(claims, signer));
      expect(r.kind, JSON.stringify(claims)).toBe(kind);
      expect(r.message.length).toBeGreaterThan(10);
    }
  });

  it('accepts several audiences when azp names Slipway', async () => {
    const launch = await verifyLaunch(
      await sign({ ...good(), aud: ['tool-1', 'x'], azp: 'tool-1' }),
      check(),
    );
    expect(launch.claims.sub).toBe('user-1');
  });

  it('refuses what is not a JWT', async () => {
    expect((await refusal('not.a.jwt')).kind).toBe('malformed');
  });
});
