import type { JWK } from 'jose';

/** What an LMS administrator enters when registering Slipway as an LTI 1.3 tool. */
export interface ToolValues {
  toolUrl: string;
  loginUrl: string;
  redirectUrls: string[];
  deepLinkingUrl: string;
  jwksUrl: string;
  publicJwk: JWK;
}

export function toolValues(siteOrigin: string, publicJwk: JWK): ToolValues {
  const launch = `${siteOrigin}/lti/launch`;
  return {
    toolUrl: launch,
    loginUrl: `${siteOrigin}/lti/login`,
    redirectUrls: [launch],
    deepLinkingUrl: launch,
    jwksUrl: `${siteOrigin}/lti/jwks`,
    publicJwk,
  };
}

export function describeToolValues(v: ToolValues): string {
  return [
    'Slipway as an LTI 1.3 tool: enter these in the LMS (see README, “LMS (LTI 1.3)”).',
    '',
    `  Tool URL / target link URI    ${v.toolUrl}`,
    `  Initiate login URL            ${v.loginUrl}`,
    `  Redirection URI(s)            ${v.redirectUrls.join(' ')}`,
    `  Deep linking (content) URL    ${v.deepLinkingUrl}`,
    `  Public keyset (JWKS) URL      ${v.jwksUrl}`,
    '  Signature method              RS256',
    '  Services                      Assignment and Grade Services (line items, scores),',
    '                                Names and Role Provisioning; Deep Linking',
    '',
    '  Public key (JWK):',
    `  ${JSON.stringify(v.publicJwk)}`,
    '',
    'Then add the LMS to the file SLIPWAY_LTI_PLATFORMS names: its issuer, the client id and',
    'deployment id it gave Slipway, and its auth, token and JWKS URLs.',
  ].join('\n');
}
