/** A request for a port inside a learner's sandbox: `/preview/<labId>/<port>/<path>`. */
export interface PreviewTarget {
  labId: string;
  port: number;
  /** Path and query to ask the sandbox for, always starting with `/`. */
  path: string;
  /** The part of the URL that belongs to Slipway, e.g. `/preview/ocs-split/3000`. */
  prefix: string;
  /** True for `/preview/<lab>/<port>` without the slash: relative links need it. */
  needsSlash: boolean;
}

const PREVIEW = /^\/preview\/([a-z0-9][a-z0-9-]{0,62})\/(\d{1,5})(\/.*)?$/;

export function parsePreviewPath(url: string): PreviewTarget | undefined {
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q);
  const m = PREVIEW.exec(pathname);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  const prefix = `/preview/${m[1]}/${port}`;
  return {
    labId: m[1]!,
    port,
    path: `${m[3] ?? '/'}${query}`,
    prefix,
    needsSlash: m[3] === undefined,
  };
}

/**
 * Keeps redirects inside the preview: `/login` (or `http://<the preview's host>/login`) becomes
 * `/preview/<lab>/<port>/login`; an app that honours X-Forwarded-Prefix already says so.
 */
export function rewriteLocation(location: string, prefix: string, host: string): string {
  const inside = (path: string) => (path.startsWith(`${prefix}/`) ? path : `${prefix}${path}`);
  if (location.startsWith('/') && !location.startsWith('//')) return inside(location);
  try {
    const u = new URL(location);
    if (u.host === host) return inside(`${u.pathname}${u.search}${u.hash}`);
  } catch {
    // A relative location like `next` resolves against the preview URL by itself.
  }
  return location;
}

/** Slipway's own cookies (the learner's, an instructor's, the preview grants) all start so. */
const OURS = /^slipway/i;

/**
 * Scopes the app's cookies to its preview path; undefined for a cookie that would carry one of
 * Slipway's names (the app may not set those).
 */
export function rewriteSetCookie(cookie: string, prefix: string): string | undefined {
  const parts = cookie.split(';').map((p) => p.trim());
  const rest = parts.slice(1).filter((p) => !/^path=/i.test(p) && !/^domain=/i.test(p));
  const path =
    parts
      .slice(1)
      .find((p) => /^path=/i.test(p))
      ?.slice(5) ?? '/';
  if (OURS.test(parts[0] ?? '')) return undefined;
  return [parts[0], ...rest, `Path=${prefix}${path.startsWith('/') ? path : `/${path}`}`].join(
    '; ',
  );
}

/** Slipway's cookies (the browser sends the site's too: cookies ignore ports) stay with Slipway. */
export function withoutSlipwayCookies(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const kept = header
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '' && !OURS.test(p));
  return kept.length > 0 ? kept.join('; ') : undefined;
}
