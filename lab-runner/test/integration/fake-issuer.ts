import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

/**
 * A tiny issuer that hands out whatever ID token a test crafts: discovery, keys and a token
 * endpoint, nothing else. A real provider never mints an expired, foreign or wrongly signed
 * token, but the runner's checks must refuse them; this lets the real validation path (the
 * library, over HTTP) see them. Loopback only.
 */
type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface TokenRequest {
  form: URLSearchParams;
  authorization: string | undefined;
}

export class FakeIssuer {
  issuer = '';
  readonly tokenRequests: TokenRequest[] = [];
  /** The next token endpoint answer's ID token; set by each test. */
  mint: () => Promise<string> = async () => {
    throw new Error('no token set');
  };
  private server: Server | undefined;
  private published: Key | undefined;
  private publishedJwk: Record<string, unknown> | undefined;

  async listen(): Promise<void> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    this.published = privateKey;
    this.publishedJwk = {
      ...(await exportJWK(publicKey)),
      kid: 'published',
      alg: 'RS256',
      use: 'sig',
    };
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const json = (body: unknown, status = 200) => {
        res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(body));
      };
      if (path === '/.well-known/openid-configuration')
        return json({
          issuer: this.issuer,
          authorization_endpoint: `${this.issuer}/authorize`,
          token_endpoint: `${this.issuer}/token`,
          jwks_uri: `${this.issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic'],
        });
      if (path === '/jwks') return json({ keys: [this.publishedJwk] });
      if (path === '/token' && req.method === 'POST') {
        let body = '';
        req.on('data', (d) => {
          body += d;
        });
        req.on('end', () => {
          this.tokenRequests.push({
            form: new URLSearchParams(body),
            authorization: req.headers.authorization,
          });
          this.mint().then(
            (idToken) =>
              json({
                access_token: 'opaque',
                token_type: 'Bearer',
                expires_in: 60,
                id_token: idToken,
              }),
            (err) => json({ error: 'server_error', error_description: String(err) }, 500),
          );
        });
        return;
      }
      json({ error: 'not_found' }, 404);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** An ID token with these claims over sensible defaults, signed with the published key or another. */
  async token(claims: JWTPayload, opts: { key?: Key; kid?: string } = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: this.issuer,
      aud: 'slipway',
      sub: 'forged-sub',
      iat: now,
      exp: now + 300,
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'published' })
      .sign(opts.key ?? this.published!);
  }

  /** A key that is not in the published set. */
  async strangerKey(): Promise<Key> {
    return (await generateKeyPair('RS256')).privateKey;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

/** The S256 PKCE challenge of a verifier, to check the runner sent the verifier it committed to. */
export const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
