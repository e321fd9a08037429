import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
};

/** Resolves a URL path to a file under root, or undefined when it would escape root. */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const full = normalize(join(root, decoded));
  return full === root || full.startsWith(root.endsWith(sep) ? root : root + sep)
    ? full
    : undefined;
}

/** Serves the built site: files, `dir/index.html`, and the site's 404 page. */
export async function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const path = resolveStaticPath(root, req.url ?? '/');
  const candidates = path === undefined ? [] : [path, join(path, 'index.html')];
  for (const file of candidates) {
    const s = await stat(file).catch(() => undefined);
    if (!s?.isFile()) continue;
    const immutable = (req.url ?? '').startsWith('/_astro/');
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'content-length': s.size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
    return;
  }
  const notFound = join(root, '404.html');
  const s = await stat(notFound).catch(() => undefined);
  if (s?.isFile()) {
    res.writeHead(404, { 'content-type': types['.html']!, 'content-length': s.size });
    createReadStream(notFound).pipe(res);
  } else {
    res
      .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      .end('Not found. (Has the site been built? Run `npm run build`.)\n');
  }
}
