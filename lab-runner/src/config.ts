import { resolve } from 'node:path';
import { z } from 'zod';
import { isWildcardHost, normalizeOrigin } from './http/origins.ts';
import { readLtiPlatforms } from './lti/platforms.ts';
import {
  byteSize,
  formatProblems,
  friendlyParse,
  type LtiPlatform,
  type OperatorWebhook,
} from './protocol/index.ts';
import { parsePoolSetting } from './sessions/warm-pool-policy.ts';
import { readOperatorWebhooks } from './webhooks/operator-hooks.ts';
import { parseAllowedNetworks } from './webhooks/url-policy.ts';

/**
 * Every setting of the runner: its env var, default and meaning. The README's configuration
 * table is checked against this list by a test, so the two cannot drift apart.
 */
export const settings = [
  {
    env: 'SLIPWAY_HOST',
    key: 'host',
    default: '127.0.0.1',
    doc: 'Address the platform listens on.',
  },
  {
    env: 'SLIPWAY_PORT',
    key: 'port',
    default: '4321',
    doc: 'Port for the site, the API and the WebSockets.',
  },
  {
    env: 'SLIPWAY_PUBLIC_ORIGIN',
    key: 'publicOrigin',
    default: '(the listen address)',
    doc: 'The origin learners open, e.g. `https://course.example.org` behind a reverse proxy with TLS. Requests naming another host are refused; required when `SLIPWAY_HOST` is `0.0.0.0`.',
  },
  {
    env: 'SLIPWAY_PREVIEW_PORT',
    key: 'previewPort',
    default: '4322',
    doc: 'Port of the preview server: learners’ web apps are shown from this separate origin, never the site’s own.',
  },
  {
    env: 'SLIPWAY_PREVIEW_ORIGIN',
    key: 'previewOrigin',
    default: '(site host, preview port)',
    doc: 'The origin previews are served at, e.g. `https://preview.course.example.org` (a reverse proxy sends it to `SLIPWAY_PREVIEW_PORT`). Must differ from the site’s origin.',
  },
  {
    env: 'SLIPWAY_DATA_DIR',
    key: 'dataDir',
    default: '.slipway',
    doc: 'Holds the SQLite file (`slipway.db`), the cookie secret and the LTI tool key (`lti-tool-key.json`).',
  },
  {
    env: 'SLIPWAY_PROVIDER',
    key: 'provider',
    default: 'docker',
    doc: 'What runs sandboxes: `docker`, the engine on this host; `swarm`, a Docker Swarm cluster whose manager engine is at `SLIPWAY_DOCKER_SOCKET` (see “A cluster of hosts”).',
  },
  {
    env: 'SLIPWAY_AGENT_TLS_DIR',
    key: 'agentTlsDir',
    default: '/var/lib/slipway/cluster/tls',
    doc: 'With `swarm`: the runner’s certificate for the node agents (`scripts/cluster-credentials.sh` makes it).',
  },
  {
    env: 'SLIPWAY_AGENT_PORT',
    key: 'agentPort',
    default: '7443',
    doc: 'With `swarm`: the port every node’s agent listens on, at the node’s cluster address.',
  },
  {
    env: 'SLIPWAY_DOCKER_SOCKET',
    key: 'dockerSocket',
    default: '/run/slipway/docker.sock',
    doc: 'Unix socket of the user-namespaced engine that runs sandboxes.',
  },
  {
    env: 'SLIPWAY_INSTANCE',
    key: 'instance',
    default: 'default',
    doc: 'Label value separating runners (or test runs) that share one engine.',
  },
  {
    env: 'SLIPWAY_MIRROR_CONTAINER',
    key: 'mirrorContainer',
    default: 'slipway-registry',
    doc: 'Container of the classroom mirror (a registry of the course images) that sandboxes pull through; `none` for no mirror.',
  },
  {
    env: 'SLIPWAY_IMAGE_SEEDS',
    key: 'imageSeeds',
    default: 'true',
    doc: 'New sandboxes start from a copy of a prepared engine store holding their lab’s images (made once per set of images) instead of loading the images after start; `false` to always load.',
  },
  {
    env: 'SLIPWAY_SANDBOX_IMAGE',
    key: 'sandboxImage',
    default: 'slipway/sandbox:latest',
    doc: 'Image of the learner sandbox (built by `images/build.sh`).',
  },
  {
    env: 'SLIPWAY_SANDBOX_MEMORY',
    key: 'sandboxMemory',
    default: '768m',
    doc: 'Memory limit per sandbox (a lab may set its own).',
  },
  {
    env: 'SLIPWAY_SANDBOX_PIDS',
    key: 'sandboxPids',
    default: '1000',
    doc: 'Process limit per sandbox.',
  },
  {
    env: 'SLIPWAY_SANDBOX_CPUS',
    key: 'sandboxCpus',
    default: '1',
    doc: 'CPU limit per sandbox, in cores.',
  },
  {
    env: 'SLIPWAY_READY_TIMEOUT_MS',
    key: 'readyTimeoutMs',
    default: '60000',
    doc: 'How long a new sandbox may take until its inner engine answers.',
  },
  {
    env: 'SLIPWAY_SETUP_TIMEOUT_MS',
    key: 'setupTimeoutMs',
    default: '180000',
    doc: 'Deadline for loading images and running a lab’s setup script.',
  },
  {
    env: 'SLIPWAY_CHECK_INTERVAL_MS',
    key: 'checkIntervalMs',
    default: '4000',
    doc: 'How often open labs re-run their unfinished checks (3× and 8× as long once the learner has been quiet for 30 s and 2 min).',
  },
  {
    env: 'SLIPWAY_CHECK_MODE',
    key: 'checkMode',
    default: 'resident',
    doc: 'How task checks run: `resident`, through a long-lived process in each sandbox’s checker, with rounds following the sandbox engine’s events (polls then come 8× as rarely); `exec`, an engine exec per round and polls at the full rate (the way before; the benchmark’s baseline).',
  },
  {
    env: 'SLIPWAY_CHECK_OUTPUT_BYTES',
    key: 'checkOutputBytes',
    default: '16384',
    doc: 'Output kept from one check run; the rest is dropped.',
  },
  {
    env: 'SLIPWAY_RECORDING_MAX_BYTES',
    key: 'recordingMaxBytes',
    default: '5m',
    doc: 'Size cap of one terminal recording (asciicast); past it the recording stops with a marker.',
  },
  {
    env: 'SLIPWAY_RECORDING_RETENTION_DAYS',
    key: 'recordingRetentionDays',
    default: '30',
    doc: 'Terminal recordings older than this are deleted (checked at start and every 6 hours).',
  },
  {
    env: 'SLIPWAY_STUCK_AFTER_MINUTES',
    key: 'stuckAfterMinutes',
    default: '10',
    doc: 'A learner still at work with no progress for this long is shown as stuck.',
  },
  {
    env: 'SLIPWAY_STUCK_FAILURES',
    key: 'stuckFailures',
    default: '5',
    doc: 'A learner whose own checks on one task failed this many times is shown as stuck.',
  },
  {
    env: 'SLIPWAY_WEBHOOKS',
    key: 'webhooks',
    default: '(none)',
    doc: 'The operator’s webhook endpoints, for every class: a JSON array of `{"url", "events", "secret"}` (secret `whsec_` and base64 of 24–64 bytes), or the path of a file holding one. Kept in step at every start, which also resumes any of them that was paused (see “Webhooks”).',
  },
  {
    env: 'SLIPWAY_WEBHOOK_ALLOWED_NETWORKS',
    key: 'webhookAllowedNetworks',
    default: '(none)',
    doc: 'Addresses or CIDR ranges, comma-separated, that instructors’ webhooks may reach although they are loopback, link-local or private (refused by default).',
  },
  {
    env: 'SLIPWAY_WEBHOOK_TIMEOUT_MS',
    key: 'webhookTimeoutMs',
    default: '10000',
    doc: 'How long one webhook attempt may take, connection to the end of the answer; past it the attempt has failed.',
  },
  {
    env: 'SLIPWAY_WEBHOOK_CONCURRENCY',
    key: 'webhookConcurrency',
    default: '2',
    doc: 'Attempts in flight at once per webhook endpoint.',
  },
  {
    env: 'SLIPWAY_WEBHOOK_MAX_ATTEMPTS',
    key: 'webhookMaxAttempts',
    default: '8',
    doc: 'Attempts per delivery before it is marked failed.',
  },
  {
    env: 'SLIPWAY_WEBHOOK_RETRY_BASE_MS',
    key: 'webhookRetryBaseMs',
    default: '5000',
    doc: 'Wait before a delivery’s second attempt; each later wait is 4 times longer (at most 6 hours), half of it random.',
  },
  {
    env: 'SLIPWAY_WEBHOOK_PAUSE_AFTER',
    key: 'webhookPauseAfter',
    default: '20',
    doc: 'Failed attempts in a row, across deliveries, after which an endpoint is paused (a `410 Gone` pauses it at once).',
  },
  {
    env: 'SLIPWAY_CONTENT_DIR',
    key: 'contentDir',
    default: 'content',
    doc: 'Folder of course modules and lessons (the class view reads which labs each module has).',
  },
  {
    env: 'SLIPWAY_REAP_INTERVAL_MS',
    key: 'reapIntervalMs',
    default: '300000',
    doc: 'How often labelled sandboxes, networks and volumes the database does not know are removed (also at start).',
  },
  {
    env: 'SLIPWAY_REAP_GRACE_MS',
    key: 'reapGraceMs',
    default: '120000',
    doc: 'A resource younger than this is never reaped (it may be being created).',
  },
  {
    env: 'SLIPWAY_ISOLATION',
    key: 'isolation',
    default: 'userns',
    doc: '`userns`: the learner is root in their sandbox (on the host an unprivileged, remapped uid). `rootless`: the learner is an unprivileged user and their Docker engine runs rootless; stronger, with the costs listed under the trust model.',
  },
  {
    env: 'SLIPWAY_SANDBOX_EGRESS',
    key: 'sandboxEgress',
    default: 'open',
    doc: '`open`: sandboxes reach the outside network (e.g. `apt-get`). `none`: no route out; the classroom mirror, previews and checks still work.',
  },
  {
    env: 'SLIPWAY_MAX_SANDBOXES',
    key: 'maxSandboxes',
    default: 'auto',
    doc: 'Sandboxes running at once; more starts wait in a queue. `auto`: what the host holds (memory after 2 GiB for itself, 8 sandboxes per core).',
  },
  {
    env: 'SLIPWAY_SANDBOX_DISK',
    key: 'sandboxDisk',
    default: '6g',
    doc: 'Disk budget per sandbox (its writable layer plus its inner engine’s images, containers and volumes). Over it the learner is warned; at 1.25 times it the sandbox is stopped, keeping progress.',
  },
  {
    env: 'SLIPWAY_LIMIT_SWEEP_MS',
    key: 'limitSweepMs',
    default: '20000',
    doc: 'How often each sandbox’s memory, processes and disk are read against its limits.',
  },
  {
    env: 'SLIPWAY_WARM_POOL',
    key: 'warmPool',
    default: '1',
    doc: 'Ready sandboxes kept per lab so Start takes well under a second: a number for every lab, or `lab-id=count,…` (labs not named get none); `0` turns the pool off. Pooled sandboxes count toward `SLIPWAY_MAX_SANDBOXES` and give way to queued learners.',
  },
  {
    env: 'SLIPWAY_IDLE_TIMEOUT_MS',
    key: 'idleTimeoutMs',
    default: '1800000',
    doc: 'A sandbox with no activity (terminal input, commands, work in it) for this long is stopped; progress is kept.',
  },
  {
    env: 'SLIPWAY_IDLE_WARNING_MS',
    key: 'idleWarningMs',
    default: '300000',
    doc: 'How long before an idle or time-limit stop the learner is warned (and can keep working).',
  },
  {
    env: 'SLIPWAY_SANDBOX_LIFETIME_MS',
    key: 'sandboxLifetimeMs',
    default: '14400000',
    doc: "Hard limit on one sandbox's life, however active; the next Start restores the completed tasks.",
  },
  {
    env: 'SLIPWAY_IDLE_SWEEP_MS',
    key: 'idleSweepMs',
    default: '30000',
    doc: 'How often sandboxes are sampled for activity.',
  },
  {
    env: 'SLIPWAY_LABS_DIR',
    key: 'labsDir',
    default: 'labs',
    doc: 'Folder of labs (`<id>/lab.yaml`).',
  },
  {
    env: 'SLIPWAY_IMAGES_DIR',
    key: 'imagesDir',
    default: 'images',
    doc: 'Folder of image definitions (`course/<name>/`).',
  },
  {
    env: 'SLIPWAY_SITE_DIR',
    key: 'siteDir',
    default: 'dist',
    doc: 'The built site the runner serves.',
  },
  {
    env: 'SLIPWAY_COOKIE_SECURE',
    key: 'cookieSecure',
    default: 'false',
    doc: 'Mark the learner cookie `Secure` (set when served over HTTPS).',
  },
  {
    env: 'SLIPWAY_SECRET',
    key: 'secret',
    default: '(generated)',
    doc: 'Key that signs learner cookies; by default a random key kept in the data dir.',
  },
  {
    env: 'SLIPWAY_ALLOWED_ORIGINS',
    key: 'allowedOrigins',
    default: '(none)',
    doc: 'Further origins the site is also reached at, comma-separated (scheme, host and port); browsers on any other origin cannot open a lab socket or change anything.',
  },
  {
    env: 'SLIPWAY_OIDC_ISSUER',
    key: 'oidcIssuer',
    default: '(none)',
    doc: 'Issuer URL of an OpenID Connect provider for single sign-on, e.g. `https://login.example.org/realms/school` (its discovery document is read from `/.well-known/openid-configuration` under it). Unset: nobody signs in that way. `https` only, except on a loopback address. See “Single sign-on”.',
  },
  {
    env: 'SLIPWAY_OIDC_CLIENT_ID',
    key: 'oidcClientId',
    default: '(none)',
    doc: 'The client id Slipway is registered under at the provider; needed with `SLIPWAY_OIDC_ISSUER`.',
  },
  {
    env: 'SLIPWAY_OIDC_CLIENT_SECRET',
    key: 'oidcClientSecret',
    default: '(none)',
    doc: 'That client’s secret (sent to the token endpoint with HTTP Basic authentication); needed with `SLIPWAY_OIDC_ISSUER`.',
  },
  {
    env: 'SLIPWAY_OIDC_NAME',
    key: 'oidcName',
    default: '(the issuer’s host)',
    doc: 'The provider’s name on the sign-in buttons (“Sign in with” this name).',
  },
  {
    env: 'SLIPWAY_OIDC_SCOPES',
    key: 'oidcScopes',
    default: 'openid profile email',
    doc: 'Scopes asked for, separated by spaces (`openid` is always sent). Add the one that carries groups, often `groups`, when `SLIPWAY_OIDC_INSTRUCTOR_GROUPS` is set.',
  },
  {
    env: 'SLIPWAY_OIDC_GROUPS_CLAIM',
    key: 'oidcGroupsClaim',
    default: 'groups',
    doc: 'The claim that lists a person’s groups, in the ID token or the user info; a dotted path such as `realm_access.roles` reaches into an object.',
  },
  {
    env: 'SLIPWAY_OIDC_INSTRUCTOR_GROUPS',
    key: 'oidcInstructorGroups',
    default: '(none)',
    doc: 'Groups whose members may sign in as instructors, comma-separated; checked at every sign-in, and an instructor account is made at a member’s first. Unset: anyone the provider signs in may be an instructor, which is allowed only while learners do not sign in.',
  },
  {
    env: 'SLIPWAY_OIDC_LEARNERS',
    key: 'oidcLearners',
    default: 'off',
    doc: '`off`: learners stay anonymous (a cookie in their browser). `optional`: learners may sign in, keeping what they did before and finding it again on any browser. `required`: learners sign in before Slipway keeps anything of theirs (starting a lab, joining a class, answering a question, a lesson read).',
  },
  {
    env: 'SLIPWAY_LTI_PLATFORMS',
    key: 'ltiPlatforms',
    default: '(none)',
    doc: 'Path of a JSON file listing the LMSs that may launch Slipway as an LTI 1.3 tool: `[{"name", "issuer", "clientId", "deploymentIds": [...], "authLoginUrl", "tokenUrl", "jwksUrl"}]`. Unset: the `/lti/` routes say LTI is off. See “LMS (LTI 1.3)”.',
  },
  {
    env: 'SLIPWAY_LTI_RETRY_BASE_MS',
    key: 'ltiRetryBaseMs',
    default: '5000',
    doc: 'Wait before a score the LMS’s gradebook did not take is sent again; each later wait is four times longer, up to 8 attempts.',
  },
] as const;

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => ['true', '1', 'yes'].includes(v));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const originSetting = z.string().transform((v, ctx) => {
  try {
    return normalizeOrigin(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

const configSchema = z
  .object({
    host: z.string().min(1),
    port: int(0, 65535),
    publicOrigin: originSetting.optional(),
    previewPort: int(0, 65535),
    previewOrigin: originSetting.optional(),
    dataDir: z.string().min(1),
    provider: z.enum(['docker', 'swarm'], { error: 'must be "docker" or "swarm"' }),
    agentTlsDir: z.string().min(1),
    agentPort: int(1, 65535),
    dockerSocket: z.string().min(1),
    instance: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, {
      error: 'must be lowercase letters, digits and dashes',
    }),
    mirrorContainer: z
      .string()
      .min(1)
      .transform((v) => (v === 'none' ? undefined : v)),
    imageSeeds: boolish,
    sandboxImage: z.string().min(1),
    sandboxMemory: byteSize,
    sandboxPids: int(64, 100_000),
    sandboxCpus: z.coerce.number().positive().max(64),
    readyTimeoutMs: int(1000, 600_000),
    setupTimeoutMs: int(1000, 1_800_000),
    checkIntervalMs: int(250, 600_000),
    checkMode: z.enum(['resident', 'exec'], { error: 'must be "resident" or "exec"' }),
    checkOutputBytes: int(256, 1_048_576),
    recordingMaxBytes: byteSize,
    recordingRetentionDays: z.coerce.number().positive().max(3650),
    stuckAfterMinutes: z.coerce.number().positive().max(1440),
    stuckFailures: int(1, 1000),
    contentDir: z.string().min(1),
    webhooks: z.string().optional(),
    webhookAllowedNetworks: z
      .string()
      .optional()
      .transform((v, ctx) => {
        try {
          return parseAllowedNetworks(v);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return z.NEVER;
        }
      }),
    webhookTimeoutMs: int(500, 120_000),
    webhookConcurrency: int(1, 16),
    webhookMaxAttempts: int(1, 30),
    webhookRetryBaseMs: int(10, 3_600_000),
    webhookPauseAfter: int(1, 10_000),
    reapIntervalMs: int(1000, 86_400_000),
    reapGraceMs: int(0, 86_400_000),
    sandboxEgress: z.enum(['open', 'none'], { error: 'must be "open" or "none"' }),
    isolation: z.enum(['userns', 'rootless'], { error: 'must be "userns" or "rootless"' }),
    maxSandboxes: z.union([z.literal('auto'), int(1, 100_000)], {
      error: 'must be "auto" or a whole number from 1',
    }),
    sandboxDisk: byteSize,
    limitSweepMs: int(200, 3_600_000),
    warmPool: z.string().transform((v, ctx) => {
      try {
        return parsePoolSetting(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
    idleTimeoutMs: int(1000, 7 * 86_400_000),
    idleWarningMs: int(0, 86_400_000),
    sandboxLifetimeMs: int(1000, 30 * 86_400_000),
    idleSweepMs: int(200, 3_600_000),
    labsDir: z.string().min(1),
    imagesDir: z.string().min(1),
    siteDir: z.string().min(1),
    cookieSecure: boolish,
    secret: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
    allowedOrigins: z
      .string()
      .transform((s, ctx) =>
        s
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean)
          .map((o) => {
            try {
              return normalizeOrigin(o);
            } catch (err) {
              ctx.addIssue({ code: 'custom', message: (err as Error).message });
              return o;
            }
          }),
      )
      .optional(),
    oidcIssuer: z
      .string()
      .transform((v, ctx) => {
        const problem = issuerProblem(v);
        if (problem) {
          ctx.addIssue({ code: 'custom', message: problem });
          return z.NEVER;
        }
        // Kept as given: discovery compares it with the provider's own, trailing slash and all.
        return v;
      })
      .optional(),
    oidcClientId: z.string().min(1).optional(),
    oidcClientSecret: z.string().min(1).optional(),
    oidcName: z.string().min(1).max(60, { error: 'must be at most 60 characters' }).optional(),
    oidcScopes: z.string().transform((v) => {
      const scopes = v.split(/[\s,]+/).filter(Boolean);
      return scopes.includes('openid') ? scopes : ['openid', ...scopes];
    }),
    oidcGroupsClaim: z.string().min(1),
    oidcInstructorGroups: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((g) => g.trim())
          .filter(Boolean),
      )
      .optional(),
    oidcLearners: z.enum(['off', 'optional', 'required'], {
      error: 'must be "off", "optional" or "required"',
    }),
    ltiPlatforms: z.string().optional(),
    ltiRetryBaseMs: int(10, 3_600_000),
  })
  .superRefine((c, ctx) => {
    if (c.oidcIssuer) {
      for (const key of ['oidcClientId', 'oidcClientSecret'] as const)
        if (!c[key])
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message:
              'is required with SLIPWAY_OIDC_ISSUER: the provider gives it when Slipway is registered there',
          });
    } else {
      for (const key of ['oidcClientId', 'oidcClientSecret', 'oidcInstructorGroups'] as const)
        if (c[key] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'has no effect without SLIPWAY_OIDC_ISSUER',
          });
    }
    if (c.oidcLearners !== 'off' && !c.oidcIssuer)
      ctx.addIssue({
        code: 'custom',
        path: ['oidcLearners'],
        message: 'needs SLIPWAY_OIDC_ISSUER: learners sign in through that provider',
      });
    if (c.oidcIssuer && c.oidcLearners !== 'off' && !c.oidcInstructorGroups?.length)
      ctx.addIssue({
        code: 'custom',
        path: ['oidcInstructorGroups'],
        message:
          'is required when learners sign in too: without it, every learner could sign in as an instructor',
      });
    if (isWildcardHost(c.host) && !c.publicOrigin)
      ctx.addIssue({
        code: 'custom',
        path: ['publicOrigin'],
        message: `is required when listening on every address (${c.host}): set it to the address learners open, e.g. http://192.0.2.10:${c.port}`,
      });
    if (c.provider === 'swarm' && c.isolation === 'rootless')
      ctx.addIssue({
        code: 'custom',
        path: ['isolation'],
        message:
          'rootless sandboxes need a TUN device and an unmasked /proc, which Swarm services cannot have: use "userns" with SLIPWAY_PROVIDER=swarm',
      });
    if (c.previewOrigin && c.previewOrigin === c.publicOrigin)
      ctx.addIssue({
        code: 'custom',
        path: ['previewOrigin'],
        message: 'must differ from SLIPWAY_PUBLIC_ORIGIN: previews need an origin of their own',
      });
  });

/** Single sign-on through an OpenID Connect provider, when one is configured. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** For "Sign in with <name>". */
  name: string;
  scopes: string[];
  groupsClaim: string;
  /** Empty: anyone the provider signs in may teach (only allowed while learners do not sign in). */
  instructorGroups: string[];
  learners: 'off' | 'optional' | 'required';
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Why an issuer URL cannot be used, or undefined: https only, except on a loopback address. */
export function issuerProblem(v: string): string | undefined {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return 'must be a URL, e.g. https://login.example.org/realms/school';
  }
  if (u.search || u.hash || u.username) return 'must be the issuer URL only (no query or user)';
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname)) return undefined;
  return 'must be an https URL (plain http is allowed on a loopback address only)';
}

export type Config = Omit<z.output<typeof configSchema>, 'webhooks' | 'ltiPlatforms'> & {
  oidc: OidcSettings | undefined;
  webhooks: OperatorWebhook[];
  /** The LMSs registered for LTI 1.3 launches; empty when LTI is off. */
  ltiPlatforms: LtiPlatform[];
};

/** Reads the configuration from an environment; throws one message listing every problem. */
export function loadConfig(env: Record<string, string | undefined>, root = process.cwd()): Config {
  const raw: Record<string, string | undefined> = {};
  for (const s of settings) {
    const value = env[s.env];
    raw[s.key] =
      value !== undefined && value !== ''
        ? value
        : s.default.startsWith('(')
          ? undefined
          : s.default;
  }
  const parsed = friendlyParse(configSchema, raw);
  if (!parsed.ok) {
    const byKey = new Map<string, string>(settings.map((s) => [s.key, s.env]));
    const problems = parsed.problems.map((p) => ({ ...p, field: byKey.get(p.field) ?? p.field }));
    throw new Error(`invalid configuration:\n${formatProblems('environment', problems)}`);
  }
  const c = parsed.value;
  const oidc: OidcSettings | undefined =
    c.oidcIssuer && c.oidcClientId && c.oidcClientSecret
      ? {
          issuer: c.oidcIssuer,
          clientId: c.oidcClientId,
          clientSecret: c.oidcClientSecret,
          name: c.oidcName ?? new URL(c.oidcIssuer).host,
          scopes: c.oidcScopes,
          groupsClaim: c.oidcGroupsClaim,
          instructorGroups: c.oidcInstructorGroups ?? [],
          learners: c.oidcLearners,
        }
      : undefined;
  let webhooks: OperatorWebhook[];
  try {
    webhooks = readOperatorWebhooks(c.webhooks, root);
  } catch (err) {
    throw new Error(
      `invalid configuration:\nenvironment: SLIPWAY_WEBHOOKS: ${(err as Error).message}`,
    );
  }
  let ltiPlatforms: LtiPlatform[];
  try {
    ltiPlatforms = readLtiPlatforms(c.ltiPlatforms, root);
  } catch (err) {
    throw new Error(
      `invalid configuration:\nenvironment: SLIPWAY_LTI_PLATFORMS: ${(err as Error).message}`,
    );
  }
  return {
    ...c,
    oidc,
    webhooks,
    ltiPlatforms,
    dataDir: resolve(root, c.dataDir),
    labsDir: resolve(root, c.labsDir),
    contentDir: resolve(root, c.contentDir),
    imagesDir: resolve(root, c.imagesDir),
    siteDir: resolve(root, c.siteDir),
  };
}
