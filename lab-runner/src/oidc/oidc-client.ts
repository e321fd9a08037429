import * as client from 'openid-client';
import type { OidcSettings } from '../config.ts';
import type { Logger } from '../errors/log.ts';
import { PENDING_LOGIN_MS, type PendingLogin, type SignInRole } from './pending-login.ts';

/** Each call to the provider (discovery, token, keys, user info) gets this long, in seconds. */
const PROVIDER_TIMEOUT_S = 10;

/**
 * Slipway's side of OpenID Connect, through openid-client (certified; panva): discovery, the
 * authorization code flow with PKCE (S256), state and nonce, and the ID token's checks:
 * issuer, audience, expiry, nonce, and its signature against the provider's published keys
 * (JWKS). The library keeps those keys and fetches them again when a token names a key it has
 * not seen (at most once a minute), which is how a provider's key rotation is followed.
 */
export class OidcClient {
  private readonly settings: OidcSettings;
  private readonly redirectUri: string;
  private readonly logger: Logger;
  /** Discovered once; a failed discovery is tried again at the next sign-in. */
  private configuration: Promise<client.Configuration> | undefined;

  constructor(settings: OidcSettings, redirectUri: string, logger: Logger) {
    this.settings = settings;
    this.redirectUri = redirectUri;
    this.logger = logger;
  }

  get callbackUrl(): string {
    return this.redirectUri;
  }

  private discover(): Promise<client.Configuration> {
    this.configuration ??= (async () => {
      const issuer = new URL(this.settings.issuer);
      const config = await client.discovery(
        issuer,
        this.settings.clientId,
        { client_secret: this.settings.clientSecret },
        client.ClientSecretBasic(this.settings.clientSecret),
        {
          timeout: PROVIDER_TIMEOUT_S,
          execute: [
            // Check the ID token's signature against the provider's keys, not only the TLS
            // connection it came over.
            client.enableNonRepudiationChecks,
            // The configuration allows plain http only for a loopback address.
            ...(issuer.protocol === 'http:' ? [client.allowInsecureRequests] : []),
          ],
        },
      );
      this.logger.info('sign-in provider discovered', {
        issuer: config.serverMetadata().issuer,
        redirectUri: this.redirectUri,
      });
      return config;
    })();
    this.configuration.catch(() => {
      this.configuration = undefined;
    });
    return this.configuration;
  }

  /** A new sign-in: where to send the browser, and what to remember until it comes back. */
  async start(
    role: SignInRole,
    returnTo: string,
    now = Date.now(),
  ): Promise<{ url: URL; pending: PendingLogin }> {
    const config = await this.discover();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.settings.scopes.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return {
      url,
      pending: { state, nonce, verifier, role, returnTo, expiresAt: now + PENDING_LOGIN_MS },
    };
  }

  /**
   * The provider's answer (the callback's query) turned into the person's claims: the code
   * exchanged with the verifier, the ID token checked by the library, and the user info added
   * when the provider has it (some put groups or names only there). The ID token's claims win
   * where both have one. Throws the library's error when any check fails.
   */
  async finish(search: string, pending: PendingLogin): Promise<Record<string, unknown>> {
    const config = await this.discover();
    const current = new URL(this.redirectUri);
    current.search = search;
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the provider sent no ID token');
    let info: Record<string, unknown> = {};
    if (config.serverMetadata().userinfo_endpoint && tokens.access_token) {
      try {
        info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      } catch (err) {
        this.logger.warn('the provider’s user info could not be read; using the ID token alone', {
          error: (err as Error).message,
        });
      }
    }
    return { ...info, ...claims };
  }
}
