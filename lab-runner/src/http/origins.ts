import type { IncomingMessage } from 'node:http';

/**
 * Where Slipway is reached, as browsers name it: the site's origins (scheme, host, port) and
 * the preview origin beside each. A request whose Host is none of these is refused (a DNS
 * rebinding page would send its own host name), and a browser request whose Origin is not
 * exactly one of them may not open a socket or change anything.
 */
export interface Origins {
  /** The site's origins, e.g. `https://course.example.org`, `http://127.0.0.1:4321`. */
  readonly site: readonly string[];
  /** host[:port] a request to the site may carry: the site origins' and the listen address. */
  readonly siteHosts: ReadonlySet<string>;
  /** The preview origin for each site origin (the same one for all when configured). */
  readonly previewFor: ReadonlyMap<string, string>;
  /** host[:port] a request to the preview server may carry. */
  readonly previewHosts: ReadonlySet<string>;
}

export interface OriginSettings {
  /** The listen address and the ports the two servers got. */
  listenHost: string;
  sitePort: number;
  previewPort: number;
  /** SLIPWAY_PUBLIC_ORIGIN; by default the listen address (and `localhost` for loopback). */
  publicOrigin?: string;
  /** SLIPWAY_ALLOWED_ORIGINS: further origins the site is reached at. */
  extraOrigins?: readonly string[];
  /** SLIPWAY_PREVIEW_ORIGIN; by default each site origin's host on the preview port. */
  previewOrigin?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
export const isWildcardHost = (h: string) => h === '0.0.0.0' || h === '::' || h === '';

const hostPort = (host: string, port: number) =>
  `${host.includes(':') ? `[${host}]` : host}:${port}`;

/** `https://X:443/` -> `https://x`: the form browsers send in the Origin header. */
export function normalizeOrigin(origin: string): string {
  const u = new URL(origin);
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new Error(`${origin} is not an http or https origin`);
  if (u.pathname !== '/' || u.search || u.hash || u.username)
    throw new Error(`${origin} must be only scheme, host and port (no path)`);
  return u.origin;
}

export function resolveOrigins(s: OriginSettings): Origins {
  const site: string[] = [];
  if (s.publicOrigin) site.push(normalizeOrigin(s.publicOrigin));
  else {
    site.push(`http://${hostPort(s.listenHost, s.sitePort)}`);
    if (LOOPBACK.has(s.listenHost) && s.listenHost !== 'localhost')
      site.push(`http://localhost:${s.sitePort}`);
  }
  for (const o of s.extraOrigins ?? []) {
    const n = normalizeOrigin(o);
    if (!site.includes(n)) site.push(n);
  }
  const previewFor = new Map<string, string>();
  for (const o of site) {
    if (s.previewOrigin) previewFor.set(o, normalizeOrigin(s.previewOrigin));
    else {
      const u = new URL(o);
      u.port = String(s.previewPort);
      previewFor.set(o, u.origin);
    }
  }
  const hostOf = (o: string) => new URL(o).host;
  const siteHosts = new Set(site.map(hostOf));
  const previewHosts = new Set([...previewFor.values()].map(hostOf));
  if (!isWildcardHost(s.listenHost)) {
    siteHosts.add(hostPort(s.listenHost, s.sitePort));
    previewHosts.add(hostPort(s.listenHost, s.previewPort));
  }
  return { site, siteHosts, previewFor, previewHosts };
}

/** Whether the request's Host header names one of these hosts. */
export function hostAllowed(req: IncomingMessage, hosts: ReadonlySet<string>): boolean {
  const host = req.headers.host?.toLowerCase();
  return host !== undefined && hosts.has(host);
}

/**
 * A browser always sends Origin on WebSocket upgrades and cross-site POSTs; it must be exactly
 * one of `allowed`. Requests without Origin (curl, tests, server-to-server) are allowed:
 * cookies are what CSRF would abuse, and those come only from browsers, which send Origin.
 */
export function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  return origin === undefined || allowed.includes(origin);
}

/** The site origin a request came in on (by its Host), or the first one. */
export function siteOriginOf(req: IncomingMessage, origins: Origins): string {
  const host = req.headers.host?.toLowerCase();
  return origins.site.find((o) => new URL(o).host === host) ?? origins.site[0]!;
}
