import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/errors/log.ts';
import { type RunningPlatform, startPlatform } from '../../src/main.ts';
import { engineSocket, newInstance, sweep } from './engine.ts';
import { rawRequest } from './raw-http.ts';
import { LabClient } from './ws-client.ts';

/**
 * What the outside review found at the edges of the site, each refused with a reason: broken
 * addresses, foreign host names and origins, cookieless requests filling the database, and
 * nonsense terminal sizes. No sandbox is needed for any of it.
 */
const root = join(import.meta.dirname, '../../..');
const instance = newInstance('hardening');
const dataDir = mkdtempSync(join(tmpdir(), 'slipway-it-'));
let platform: RunningPlatform;
let port: string;

beforeAll(async () => {
  const config = loadConfig(
    {
      SLIPWAY_PORT: '0',
      SLIPWAY_PREVIEW_PORT: '0',
      SLIPWAY_WARM_POOL: '0',
      SLIPWAY_DATA_DIR: dataDir,
      SLIPWAY_INSTANCE: instance,
      SLIPWAY_DOCKER_SOCKET: engineSocket,
      SLIPWAY_SITE_DIR: join(dataDir, 'site'),
    },
    root,
  );
  platform = await startPlatform(config, silentLogger);
  port = new URL(platform.url).port;
});
afterAll(async () => {
  await platform?.close();
  await sweep(instance);
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) =>
  rawRequest(`${platform.url}${path}`, headers);

/** Opens a socket as a raw client; resolves with the refusal, or the close if it opened. */
function socket(path: string, headers: Record<string, string> = {}) {
  return new Promise<{
    refused?: { status: number; body: string };
    closed?: { code: number; reason: string };
  }>((resolve) => {
    const ws = new WebSocket(`${platform.url.replace('http', 'ws')}${path}`, { headers });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ refused: { status: res.statusCode ?? 0, body } }));
    });
    ws.on('close', (code, reason) => resolve({ closed: { code, reason: reason.toString() } }));
    ws.on('error', () => {});
  });
}

const learnerRows = () => {
  const db = new DatabaseSync(join(dataDir, 'slipway.db'), { readOnly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM learners').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('malformed addresses', () => {
  it('get 400 with a reason over HTTP, for the API and the site alike', async () => {
    for (const path of ['/api/labs/%E0%A4%A', '/docker-fundamentals/%zz/', '/preview/x/80/%E0']) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      expect(JSON.parse(r.body), path).toEqual({
        error: {
          code: 'BAD_PATH',
          message: 'This address is not valid: the path has a broken %-escape.',
          hint: 'Check the link; a "%" in an address must be followed by two hex digits.',
        },
      });
    }
  });

  it('get 400 with a reason on the terminal socket', async () => {
    const r = await socket('/api/labs/%E0%A4%A/terminal');
    expect(r.refused?.status).toBe(400);
    expect(r.refused?.body).toContain('This address is not valid: the path has a broken %-escape.');
  });
});

describe('host names and origins', () => {
  it('refuses a Host the site is not served at (DNS rebinding), over HTTP and WebSocket', async () => {
    const evil = `evil.example:${port}`;
    const r = await get('/api/labs', { host: evil });
    expect(r.status).toBe(421);
    expect(JSON.parse(r.body).error.message).toBe(
      `This server does not answer for the host name "${evil}".`,
    );
    const ws = await socket('/api/labs/first-containers/terminal', {
      host: evil,
      origin: `http://${evil}`,
    });
    expect(ws.refused?.status).toBe(421);
    // The listen address and localhost are the defaults.
    expect((await get('/api/labs', { host: `localhost:${port}` })).status).toBe(200);
  });

  it('takes an Origin only when scheme, host and port match the site', async () => {
    const learner = await fetch(`${platform.url}/api/learner`, { method: 'POST' });
    const cookie = learner.headers.get('set-cookie')!.split(';')[0]!;
    for (const origin of [
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1:${Number(port) + 1}`,
      'http://evil.example',
      'null',
    ]) {
      const ws = await socket('/api/labs/first-containers/terminal', { cookie, origin });
      expect(ws.refused?.status, origin).toBe(403);
      const post = await fetch(`${platform.url}/api/labs/first-containers/reset`, {
        method: 'POST',
        headers: { cookie, origin },
      });
      expect(post.status, origin).toBe(403);
    }
  });
});

describe('learners are stored only when they act', () => {
  it('2,000 cookieless requests store nobody; starting a lab stores one', async () => {
    const before = learnerRows();
    const paths = ['/api/labs/first-containers', '/api/progress', '/api/me', '/api/labs'];
    for (let i = 0; i < 2000; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => fetch(`${platform.url}${paths[(i + j) % 4]}`)),
      );
    }
    const reset = await fetch(`${platform.url}/api/labs/first-containers/reset`, {
      method: 'POST',
    });
    expect(reset.status).toBe(200);
    expect(reset.headers.get('set-cookie')).toBeNull();
    expect(learnerRows()).toBe(before);

    const info = await (await fetch(`${platform.url}/api/labs/first-containers`)).json();
    expect(info).toMatchObject({ learner: false, sandbox: { state: 'none', exists: false } });
    const made = await fetch(`${platform.url}/api/learner`, { method: 'POST' });
    const cookie = made.headers.get('set-cookie')!.split(';')[0]!;
    expect(learnerRows()).toBe(before + 1);
    // Asking again with the cookie is the same learner.
    const again = await fetch(`${platform.url}/api/learner`, {
      method: 'POST',
      headers: { cookie },
    });
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(learnerRows()).toBe(before + 1);
  });
});

describe('terminal sizes in the connect address', () => {
  it('refuses nonsense with a reason naming the field, and clamps what is merely too large', async () => {
    const made = await fetch(`${platform.url}/api/learner`, { method: 'POST' });
    const cookie = made.headers.get('set-cookie')!.split(';')[0]!;
    const bad = new LabClient(
      `${platform.url.replace('http', 'ws')}/api/labs/first-containers/terminal?rows=-5&cols=-Infinity`,
      { cookie },
    );
    const error = await bad.waitFor((m) => m.type === 'error');
    expect(error).toMatchObject({
      code: 'BAD_MESSAGE',
      message:
        'The lab connection received a message it does not understand: terminal size in the address: cols: must be a whole number from 1 to 100000; rows: must be a whole number from 1 to 100000.',
    });
    expect(await bad.closed).toEqual({
      code: 1008,
      reason:
        'bad message: terminal size in the address: cols: must be a whole number from 1 to 100000; rows: must be a whole number f...',
    });
    const big = new LabClient(
      `${platform.url.replace('http', 'ws')}/api/labs/first-containers/terminal?rows=99999&cols=80`,
      { cookie },
    );
    await big.opened();
    await big.waitFor((m) => m.type === 'tasks');
    expect(big.ws.readyState).toBe(WebSocket.OPEN);
    // The sandbox this started is let finish, so that the sweep after the tests finds all of it.
    await big.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
    big.close();
  });
});
