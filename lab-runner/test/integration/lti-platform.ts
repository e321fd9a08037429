import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { LtiPlatform } from '../../src/protocol/index.ts';

/**
 * A spec-conformant LTI 1.3 platform (an LMS as far as a tool sees one) on 127.0.0.1: its own
 * RS256 key and JWKS; an OIDC auth endpoint that answers the tool's authentication request
 * with a signed id_token (a form_post page) for the message the login named; a token endpoint
 * that takes only client assertions signed by a key the tool publishes at its `/lti/jwks`;
 * AGS line items and scores, and NRPS memberships, behind those tokens; and a deep-linking
 * return URL that verifies the tool's response. Everything that arrives is recorded.
 */
export const CLIENT_ID = 'slipway-tool';
export const DEPLOYMENT_ID = 'deployment-1';
const ROLE = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
export const INSTRUCTOR = `${ROLE}Instructor`;
export const LEARNER = `${ROLE}Learner`;
const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

export interface LaunchUser {
  sub: string;
  name: string;
  roles: string[];
}

export interface Message {
  user: LaunchUser;
  type?: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  custom?: Record<string, string>;
  /** Changes the claims before they are signed (a forged or broken launch). */
  claims?: (c: JWTPayload) => JWTPayload;
  /** Signs with another key than the one the JWKS publishes. */
  wrongKey?: boolean;
}

interface Score {
  lineItem: string;
  body: Record<string, unknown>;
}

export class TestPlatform {
  readonly contextId = 'course-101';
  readonly scores: Score[] = [];
  readonly lineItems: Array<{
    id: string;
    resourceId?: string;
    label?: string;
    scoreMaximum: number;
  }> = [];
  readonly tokenRequests: Array<{ scope: string; ok: boolean }> = [];
  readonly deepLinkResponses: JWTPayload[] = [];
  /** Members NRPS lists. */
  members: Array<LaunchUser & { status?: string }> = [];
  /** Score posts to refuse with a 500 before taking one. */
  failScores = 0;
  /** The id_token of the last launch, to replay. */
  lastIdToken = '';
  private readonly messages = new Map<string, Message>();
  private readonly tokens = new Map<string, string>();
  private server: Server | undefined;
  private key!: CryptoKey;
  private otherKey!: CryptoKey;
  private jwk!: JWK;
  private toolKeys: ReturnType<typeof createRemoteJWKSet> | undefined;
  issuer = '';

  async listen(): Promise<void> {
    const pair = await generateKeyPair('RS256');
    this.key = pair.privateKey;
    this.jwk = {
      ...(await exportJWK(pair.publicKey)),
      kid: 'platform-1',
      alg: 'RS256',
      use: 'sig',
    };
    this.otherKey = (await generateKeyPair('RS256')).privateKey;
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The tool whose keys this platform trusts. */
  trust(toolJwksUrl: string): void {
    this.toolKeys = createRemoteJWKSet(new URL(toolJwksUrl));
  }

  registration(name = 'Test LMS'): LtiPlatform {
    return {
      name,
      issuer: this.issuer,
      clientId: CLIENT_ID,
      deploymentIds: [DEPLOYMENT_ID],
      authLoginUrl: `${this.issuer}/auth`,
      tokenUrl: `${this.issuer}/token`,
      jwksUrl: `${this.issuer}/jwks`,
    };
  }

  /** The login initiation a platform sends the tool's browser to, for one message. */
  loginUrl(toolLogin: string, m: Message, targetLinkUri: string): string {
    const hint = randomUUID();
    this.messages.set(hint, m);
    const u = new URL(toolLogin);
    u.searchParams.set('iss', this.issuer);
    u.searchParams.set('login_hint', m.user.sub);
    u.searchParams.set('target_link_uri', targetLinkUri);
    u.searchParams.set('lti_message_hint', hint);
    u.searchParams.set('client_id', CLIENT_ID);
    u.searchParams.set('lti_deployment_id', DEPLOYMENT_ID);
    return u.href;
  }

  close(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.issuer);
    if (url.pathname === '/jwks') return json(res, 200, { keys: [this.jwk] });
    if (url.pathname === '/auth') return this.auth(url, res);
    if (url.pathname === '/token' && req.method === 'POST') return this.token(req, res);
    if (url.pathname === '/deep-link-return' && req.method === 'POST')
      return this.deepLinkReturn(req, res);
    const scopes = this.bearer(req);
    if (url.pathname === '/lineitems') {
      if (!scopes?.includes('lineitem')) return json(res, 401, { error: 'unauthorized' });
      if (req.method === 'GET') {
        const want = url.searchParams.get('resource_id');
        return json(
          res,
          200,
          this.lineItems.filter((l) => !want || l.resourceId === want),
        );
      }
      const body = JSON.parse(await text(req)) as {
        resourceId?: string;
        label?: string;
        scoreMaximum: number;
      };
      const item = { ...body, id: `${this.issuer}/lineitems/${this.lineItems.length + 1}` };
      this.lineItems.push(item);
      return json(res, 201, item);
    }
    const scoreUrl = /^\/lineitems\/(\d+)\/scores$/.exec(url.pathname);
    if (scoreUrl && req.method === 'POST') {
      if (!scopes?.includes('/scope/score')) return json(res, 401, { error: 'unauthorized' });
      if (req.headers['content-type'] !== 'application/vnd.ims.lis.v1.score+json')
        return json(res, 415, { error: 'score media type expected' });
      const body = JSON.parse(await text(req)) as Record<string, unknown>;
      if (this.failScores > 0) {
        this.failScores--;
        return json(res, 500, { error: 'the gradebook is down' });
      }
      this.scores.push({ lineItem: `${this.issuer}/lineitems/${scoreUrl[1]}`, body });
      res.writeHead(204);
      return void res.end();
    }
    if (url.pathname === '/memberships') {
      if (!scopes?.includes('contextmembership')) return json(res, 401, { error: 'unauthorized' });
      return json(res, 200, {
        id: url.href,
        context: { id: this.contextId },
        members: this.members.map((m) => ({
          user_id: m.sub,
          name: m.name,
          roles: m.roles,
          status: m.status ?? 'Active',
        })),
      });
    }
    json(res, 404, { error: 'not found' });
  }

  /** The OIDC authentication request of the tool, answered with a form_post of an id_token. */
  private async auth(url: URL, res: ServerResponse): Promise<void> {
    const q = url.searchParams;
    const m = this.messages.get(q.get('lti_message_hint') ?? '');
    const problems = [
      q.get('scope') !== 'openid' && 'scope',
      q.get('response_type') !== 'id_token' && 'response_type',
      q.get('response_mode') !== 'form_post' && 'response_mode',
      q.get('prompt') !== 'none' && 'prompt',
      q.get('client_id') !== CLIENT_ID && 'client_id',
      !q.get('redirect_uri')?.endsWith('/lti/launch') && 'redirect_uri',
      !q.get('nonce') && 'nonce',
      !q.get('state') && 'state',
      (!m || q.get('login_hint') !== m.user.sub) && 'login_hint',
    ].filter(Boolean);
    if (problems.length || !m) return json(res, 400, { error: 'invalid_request', problems });
    const message = m.type ?? 'LtiResourceLinkRequest';
    let claims: JWTPayload = {
      iss: this.issuer,
      aud: CLIENT_ID,
      sub: m.user.sub,
      nonce: q.get('nonce')!,
      name: m.user.name,
      [`${LTI}message_type`]: message,
      [`${LTI}version`]: '1.3.0',
      [`${LTI}deployment_id`]: DEPLOYMENT_ID,
      [`${LTI}roles`]: m.user.roles,
      [`${LTI}context`]: { id: this.contextId, title: 'Docker 101', type: ['CourseOffering'] },
      [`${LTI}target_link_uri`]: `${new URL(q.get('redirect_uri')!).origin}/lti/launch`,
      ...(m.custom ? { [`${LTI}custom`]: m.custom } : {}),
      'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice': {
        context_memberships_url: `${this.issuer}/memberships`,
        service_versions: ['2.0'],
      },
    };
    if (message === 'LtiResourceLinkRequest') {
      claims[`${LTI}resource_link`] = { id: `link-${m.custom?.lab ?? 'x'}` };
      claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] = {
        scope: [
          'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
          'https://purl.imsglobal.org/spec/lti-ags/scope/score',
        ],
        lineitems: `${this.issuer}/lineitems`,
      };
    } else {
      claims['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] = {
        deep_link_return_url: `${this.issuer}/deep-link-return`,
        accept_types: ['ltiResourceLink'],
        data: 'opaque-platform-data',
      };
    }
    if (m.claims) claims = m.claims(claims);
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'platform-1' });
    if (claims.iat === undefined) jwt.setIssuedAt();
    if (claims.exp === undefined) jwt.setExpirationTime('5m');
    const idToken = await jwt.sign(m.wrongKey ? this.otherKey : this.key);
    this.lastIdToken = idToken;
    const page = `<!doctype html><form method="post" action="${q.get('redirect_uri')}"><input type="hidden" name="id_token" value="${idToken}"><input type="hidden" name="state" value="${q.get('state')}"></form><script>document.forms[0].submit()</script>`;
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page);
  }

  /** client_credentials with a private_key_jwt assertion the tool signed. */
  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await text(req));
    const scope = form.get('scope') ?? '';
    try {
      if (form.get('grant_type') !== 'client_credentials') throw new Error('grant_type');
      if (
        form.get('client_assertion_type') !==
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
      )
        throw new Error('client_assertion_type');
      if (!this.toolKeys) throw new Error('no tool trusted');
      await jwtVerify(form.get('client_assertion') ?? '', this.toolKeys, {
        issuer: CLIENT_ID,
        subject: CLIENT_ID,
        audience: `${this.issuer}/token`,
        algorithms: ['RS256'],
        requiredClaims: ['jti', 'exp', 'iat'],
      });
    } catch (err) {
      this.tokenRequests.push({ scope, ok: false });
      return json(res, 401, { error: 'invalid_client', error_description: (err as Error).message });
    }
    this.tokenRequests.push({ scope, ok: true });
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, scope);
    json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600, scope });
  }

  private async deepLinkReturn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await text(req));
    const { payload } = await jwtVerify(form.get('JWT') ?? '', this.toolKeys!, {
      issuer: CLIENT_ID,
      audience: this.issuer,
      algorithms: ['RS256'],
    });
    this.deepLinkResponses.push(payload);
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<p>Activities added.</p>');
  }

  private bearer(req: IncomingMessage): string | undefined {
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    return m ? this.tokens.get(m[1]!) : undefined;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The hidden fields of a page's first form, and where it posts. */
export function formOf(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    fields[m[1]!] = m[2]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  return { action: action.replace(/&amp;/g, '&'), fields };
}
