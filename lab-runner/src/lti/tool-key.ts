import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

/**
 * Slipway's own RS256 key pair as an LTI tool: it signs the client assertions sent to the
 * platforms' token endpoints and the deep-linking responses. Made at the first start and kept
 * in the data directory (mode 0600); platforms read the public half from `/lti/jwks`.
 */
export interface ToolKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function loadOrCreateToolKey(file: string): Promise<ToolKey> {
  let jwk: JWK;
  if (existsSync(file)) {
    jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } else {
    const pair = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    jwk = await exportJWK(pair.privateKey);
    jwk.kid = await calculateJwkThumbprint(jwk);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(jwk)}\n`, { mode: 0o600, flag: 'wx' });
  }
  const privateKey = (await importJWK(jwk, 'RS256')) as CryptoKey;
  const { kty, n, e, kid } = jwk;
  if (!kid || !n || !e) throw new Error(`${file} is not an RSA key made by Slipway`);
  return { kid, privateKey, publicJwk: { kty, n, e, kid, alg: 'RS256', use: 'sig' } };
}
