import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import type { Browser } from './browser.ts';

/**
 * A real OpenID Connect provider for the tests: panva's certified `oidc-provider`, on
 * 127.0.0.1 and a free port, with its development login and consent pages (any password is
 * accepted for a known account). Its signing key can be rotated: a new provider replaces the
 * old one on the same address, publishing and signing with a new key.
 */
export interface TestAccount {
  name: string;
  preferred_username: string;
  groups: string[];
}

export const CLIENT_ID = 'slipway';
export const CLIENT_SECRET = 'a-client-secret-only-the-tests-know';

async function signingKey(kid: string) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

export class TestIdp {
  issuer = '';
  /** Requests per path, e.g. how often the runner fetched the keys. */
  readonly hits = new Map<string, number>();
  kid = '';
  private readonly server: Server;
  private handler: (req: IncomingMessage, res: ServerResponse) => void = (_q, r) => {
    r.writeHead(503).end();
  };
  private redirectUri = '';
  private readonly accounts: Record<string, TestAccount>;
  private generation = 0;

  constructor(accounts: Record<string, TestAccount>) {
    this.accounts = accounts;
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      this.handler(req, res);
    });
  }

  /** Listens first: the runner needs the issuer before the provider needs the runner's address. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.issuer;
  }

  /** (Re)starts the provider with a client for this redirect URI and a new signing key. */
  async start(redirectUri = this.redirectUri): Promise<void> {
    this.redirectUri = redirectUri;
    this.kid = `key-${++this.generation}`;
    const accounts = this.accounts;
    const provider = new Provider(this.issuer, {
      clients: [
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uris: [redirectUri],
          response_types: ['code'],
          grant_types: ['authorization_code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: [await signingKey(this.kid)] },
      cookies: { keys: ['a-cookie-key-for-the-test-provider-only'] },
      claims: { openid: ['sub'], profile: ['name', 'preferred_username'], groups: ['groups'] },
      pkce: { required: () => true },
      ttl: {
        AccessToken: 600,
        AuthorizationCode: 60,
        Grant: 3600,
        IdToken: 600,
        Interaction: 600,
        Session: 3600,
      },
      async findAccount(_ctx, id) {
        const a = accounts[id];
        if (!a) return undefined;
        return { accountId: id, claims: async () => ({ sub: id, ...a }) };
      },
    });
    // A fault inside the provider shows in the test's output, not only as a 500.
    provider.on('server_error', (_ctx, err) => process.stderr.write(`test IdP: ${err}\n`));
    this.handler = provider.callback();
  }

  /**
   * Walks a browser through a sign-in that starts at `start` (the runner's login route): the
   * provider's login form (as `account`), its consent page, until the provider sends the
   * browser back to the runner. Returns that callback address, not yet visited.
   */
  async walk(browser: Browser, start: string, account: string): Promise<string> {
    let url = start;
    let form: Record<string, string> | undefined;
    for (let hop = 0; hop < 20; hop++) {
      if (url.startsWith(this.redirectUri)) return url;
      const res = await browser.request(url, form ? { form } : {});
      form = undefined;
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        url = new URL(location, url).href;
        continue;
      }
      const html = await res.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      if (res.status !== 200 || !action || !prompt)
        throw new Error(`unexpected page at ${url} (${res.status}):\n${html.slice(0, 2000)}`);
      url = new URL(action.replaceAll('&amp;', '&'), url).href;
      form = prompt === 'login' ? { prompt, login: account, password: 'any' } : { prompt };
    }
    throw new Error(`the sign-in did not come back to ${this.redirectUri}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}
