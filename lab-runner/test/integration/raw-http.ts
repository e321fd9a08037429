import { request } from 'node:http';
import { connect } from 'node:net';

/**
 * HTTP as a hostile client sends it: any Host and Origin header (fetch would not let a test set
 * Host), and upgrades over a plain socket so a refusal's status and body can be read.
 */
export function rawRequest(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, method }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends a WebSocket upgrade request and returns what comes back until `waitFor` (or 10 s). */
export function rawUpgrade(
  url: string,
  headers: Record<string, string>,
  waitFor: string,
): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(u.port), u.hostname);
    let got = '';
    const done = () => {
      s.destroy();
      resolve(got);
    };
    const timer = setTimeout(done, 10_000);
    s.on('data', (d) => {
      got += d.toString();
      if (got.includes(waitFor) || /^HTTP\/1\.1 [^1]/.test(got)) {
        clearTimeout(timer);
        // Give a refusal's body a moment to arrive; a 101 is followed by the sandbox's bytes.
        setTimeout(done, 100);
      }
    });
    s.on('error', reject);
    const lines = [`GET ${u.pathname}${u.search} HTTP/1.1`, `Host: ${u.host}`];
    for (const [k, v] of Object.entries({
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      ...headers,
    }))
      lines.push(`${k}: ${v}`);
    s.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

/** A GET over a connection the provider opened (connectPort); resolves with the whole reply. */
export function getOver(conn: import('node:stream').Duplex, path = '/'): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    conn.on('data', (d: Buffer) => {
      got += d.toString();
    });
    conn.on('end', () => resolve(got));
    conn.on('error', reject);
    conn.write(`GET ${path} HTTP/1.0\r\nHost: sandbox\r\n\r\n`);
  });
}
