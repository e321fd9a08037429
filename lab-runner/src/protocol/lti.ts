import { z } from 'zod';

/**
 * LTI 1.3 wire shapes: the operator's platform registrations (SLIPWAY_LTI_PLATFORMS) and the
 * claims of the messages a platform sends (checked after the signature, see lti/launch.ts).
 */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Where Slipway sends a token or a signed answer: https, or http on a loopback address. */
const endpoint = z.url({ error: 'must be a URL' }).refine(
  (v) => {
    const u = new URL(v);
    return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname));
  },
  { error: 'must be an https URL (plain http is allowed on a loopback address only)' },
);

export const ltiPlatformSchema = z.strictObject({
  /** What Slipway calls the LMS in pages and logs. */
  name: z.string().min(1).max(60),
  /** The platform's `iss`, exactly as its tokens carry it. */
  issuer: z.string().min(1),
  /** The client id the LMS gave Slipway. */
  clientId: z.string().min(1),
  /** The deployments of Slipway at that LMS that may launch it. */
  deploymentIds: z.array(z.string().min(1)).min(1, { error: 'must list at least one deployment' }),
  authLoginUrl: endpoint,
  tokenUrl: endpoint,
  jwksUrl: endpoint,
});
export type LtiPlatform = z.output<typeof ltiPlatformSchema>;
export const ltiPlatformsSchema = z.array(ltiPlatformSchema);

export const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
export const LTI_AGS = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
export const LTI_NRPS = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';
export const LTI_DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';

const common = {
  sub: z.string().min(1).max(255),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  [`${LTI}version` as const]: z.literal('1.3.0', { error: 'must be "1.3.0"' }),
  [`${LTI}deployment_id` as const]: z.string().min(1).max(255),
  [`${LTI}roles` as const]: z.array(z.string()),
  [`${LTI}context` as const]: z.looseObject({
    id: z.string().min(1).max(255),
    title: z.string().optional(),
  }),
  [`${LTI}custom` as const]: z.record(z.string(), z.unknown()).optional(),
  [LTI_NRPS]: z.looseObject({ context_memberships_url: endpoint }).optional(),
};

export const resourceLinkClaimsSchema = z.looseObject({
  ...common,
  [`${LTI}message_type` as const]: z.literal('LtiResourceLinkRequest'),
  [`${LTI}resource_link` as const]: z.looseObject({ id: z.string().min(1).max(255) }),
  [`${LTI}target_link_uri` as const]: z.string().optional(),
  [LTI_AGS]: z
    .looseObject({
      scope: z.array(z.string()),
      lineitems: endpoint.optional(),
      lineitem: endpoint.optional(),
    })
    .optional(),
});

export const deepLinkingClaimsSchema = z.looseObject({
  ...common,
  [`${LTI}message_type` as const]: z.literal('LtiDeepLinkingRequest'),
  [`${LTI_DL}deep_linking_settings` as const]: z.looseObject({
    deep_link_return_url: endpoint,
    accept_types: z.array(z.string()),
    data: z.string().optional(),
  }),
});

export const launchClaimsSchema = z.discriminatedUnion(`${LTI}message_type` as const, [
  resourceLinkClaimsSchema,
  deepLinkingClaimsSchema,
]);
export type LaunchClaims = z.output<typeof launchClaimsSchema>;
export type ResourceLinkClaims = z.output<typeof resourceLinkClaimsSchema>;
export type DeepLinkingClaims = z.output<typeof deepLinkingClaimsSchema>;
export const isDeepLinking = (c: LaunchClaims): c is DeepLinkingClaims =>
  c[`${LTI}message_type`] === 'LtiDeepLinkingRequest';

/** A member in an NRPS memberships container. */
export const membershipSchema = z.looseObject({
  user_id: z.string().min(1),
  status: z.string().optional(),
  name: z.string().optional(),
  roles: z.array(z.string()),
});
export const membershipContainerSchema = z.looseObject({
  members: z.array(z.unknown()),
});

export const lineItemSchema = z.looseObject({
  id: endpoint,
  scoreMaximum: z.number().optional(),
  resourceId: z.string().optional(),
});

export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().optional(),
  scope: z.string().optional(),
});
