import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/errors/log.ts';
import { type RunningPlatform, startPlatform } from '../../src/main.ts';
import { MAX_FRAME_BYTES } from '../../src/protocol/index.ts';
import { engine, engineSocket, leftovers, newInstance, sandboxesOf, sweep } from './engine.ts';
import { openPreview } from './preview-client.ts';
import { LabClient } from './ws-client.ts';

const root = join(import.meta.dirname, '../../..');
const instance = newInstance('platform');
const dataDir = mkdtempSync(join(tmpdir(), 'slipway-it-'));
const config = () =>
  loadConfig(
    {
      SLIPWAY_PORT: '0',
      SLIPWAY_PREVIEW_PORT: '0',
      SLIPWAY_WARM_POOL: '0',
      SLIPWAY_DATA_DIR: dataDir,
      SLIPWAY_INSTANCE: instance,
      SLIPWAY_DOCKER_SOCKET: engineSocket,
      SLIPWAY_CHECK_INTERVAL_MS: '1000',
      SLIPWAY_SITE_DIR: join(dataDir, 'site'),
    },
    root,
  );

let platform: RunningPlatform;
let cookie: string;
const ws = (path: string, headers: Record<string, string> = { cookie }) =>
  new LabClient(`${platform.url.replace('http', 'ws')}${path}`, headers);

beforeAll(async () => {
  platform = await startPlatform(config(), silentLogger);
  const r = await fetch(`${platform.url}/api/learner`, { method: 'POST' });
  cookie = r.headers.get('set-cookie')!.split(';')[0]!;
});
afterAll(async () => {
  await platform?.close();
  await sweep(instance);
  rmSync(dataDir, { recursive: true, force: true });
});

const solveCommands = [
  'docker run -d --name web -p 8080:80 nginx',
  'docker run -d --name cache -v redis-data:/data redis',
  'sleep 1; docker exec cache redis-cli SET lesson fundamentals',
  'docker stop cache && docker rm cache',
  'docker run -d --name cache -v redis-data:/data redis',
  'docker logs worker; docker exec worker touch /tmp/go',
];

describe('the platform over HTTP and WebSocket, with real sandboxes and a real SQLite file', () => {
  it('issues a learner cookie and reports the lab with its tasks', async () => {
    expect(cookie).toMatch(/^slipway_learner=/);
    const r = await fetch(`${platform.url}/api/labs/first-containers`, { headers: { cookie } });
    const body = await r.json();
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(body.tasks.map((t: { id: string }) => t.id)).toEqual([
      'run-web',
      'redis-volume',
      'write-key',
      'keep-data',
      'unblock-worker',
    ]);
    expect(body.sandbox).toMatchObject({ state: 'none', exists: false });
  });

  it('answers an unknown lab with a clear 404 over HTTP and a close reason over WebSocket', async () => {
    const r = await fetch(`${platform.url}/api/labs/no-such-lab`);
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({
      error: {
        code: 'LAB_NOT_FOUND',
        message: 'There is no lab called "no-such-lab".',
        hint: 'Check the link, or open the lab from its lesson.',
      },
    });
    const c = ws('/api/labs/no-such-lab/terminal');
    expect(await c.closed).toEqual({ code: 4404, reason: 'There is no lab called "no-such-lab".' });
  });

  it('refuses a WebSocket without a learner cookie, with a forged one, or from a foreign origin', async () => {
    const anon = ws('/api/labs/first-containers/terminal', {});
    expect(await anon.closed).toEqual({
      code: 4401,
      reason: 'Your browser did not send a learner session.',
    });
    const foreign = ws('/api/labs/first-containers/terminal', {
      cookie,
      origin: 'http://evil.example',
    });
    await expect(foreign.opened()).rejects.toThrow('HTTP 403');
    // A cookie rewritten to name another learner (to reach their terminal) is no session.
    const [name, value] = cookie.split('=') as [string, string];
    const [id, sig] = value.split('.') as [string, string];
    const other = `${id.slice(0, -1)}${id.endsWith('a') ? 'b' : 'a'}`;
    const forged = ws('/api/labs/first-containers/terminal', { cookie: `${name}=${other}.${sig}` });
    expect(await forged.closed).toEqual({
      code: 4401,
      reason: 'Your browser did not send a learner session.',
    });
  });

  it('takes a learner through the whole lab: sandbox, terminal, checks turning green', async () => {
    const c = ws('/api/labs/first-containers/terminal?cols=120&rows=30');
    await c.waitFor((m) => m.type === 'status' && m.phase === 'ready', 90_000);
    await c.waitForScreen('learner@first-containers');
    const failing = await c.waitFor((m) => m.type === 'task' && m.task.id === 'run-web');
    expect(failing).toMatchObject({
      task: { state: 'failing', reason: 'There is no container named "web" yet.' },
    });
    for (const cmd of solveCommands) c.type(`${cmd}\r`);
    await c.waitFor(
      (m) => m.type === 'task' && m.task.id === 'unblock-worker' && m.task.state === 'passed',
      60_000,
    );
    const deadline = Date.now() + 30_000;
    while (c.passed().size < 5 && Date.now() < deadline) {
      c.send({ v: 1, type: 'check' });
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect([...c.passed()].sort()).toEqual([
      'keep-data',
      'redis-volume',
      'run-web',
      'unblock-worker',
      'write-key',
    ]);
    c.close();
  });

  it('previews a port of the learner’s own sandbox, and nobody else’s', async () => {
    const { res: page } = await openPreview(
      platform.url,
      '/preview/first-containers/8080/',
      cookie,
    );
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Welcome to nginx!');
    const bare = await fetch(`${platform.url}/preview/first-containers/8080`, {
      headers: { cookie },
      redirect: 'manual',
    });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/preview/first-containers/8080/');

    const { res: nothing } = await openPreview(
      platform.url,
      '/preview/first-containers/9999/',
      cookie,
    );
    expect(nothing.status).toBe(502);
    expect(await nothing.text()).toContain('Nothing answers on port 9999 in your sandbox yet.');

    const stranger = (await fetch(`${platform.url}/api/learner`, { method: 'POST' })).headers
      .get('set-cookie')!
      .split(';')[0]!;
    const theirs = await fetch(`${platform.url}/preview/first-containers/8080/`, {
      headers: { cookie: stranger },
    });
    expect(theirs.status).toBe(404);
    expect(await theirs.text()).toContain('Your sandbox for this lab is not running');
    expect((await fetch(`${platform.url}/preview/first-containers/8080/`)).status).toBe(401);
  });

  it('carries WebSocket upgrades through the preview, both ways', async () => {
    const [name] = await sandboxesOf(instance);
    const exec = await engine.getContainer(name!.replace(/^\//, '')).exec({
      Cmd: [
        'sh',
        '-c',
        "rm -f /tmp/f; mkfifo /tmp/f; (printf 'HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n\\r\\n'; cat /tmp/f) | timeout 20 nc -l -p 9000 > /tmp/f",
      ],
    });
    await exec.start({ Detach: true });
    await new Promise((r) => setTimeout(r, 500));
    const { connect } = await import('node:net');
    // WebSockets of a preview go to the preview origin, with the lab's preview cookie.
    const { cookie: pass } = await openPreview(
      platform.url,
      '/preview/first-containers/8080/',
      cookie,
    );
    const port = Number(new URL(platform.previewUrl).port);
    const sock = connect(port, '127.0.0.1');
    let got = '';
    sock.on('data', (d) => {
      got += d.toString();
    });
    sock.write(
      `GET /preview/first-containers/9000/socket HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookie}; ${pass}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    const until = Date.now() + 10_000;
    while (!got.includes('101 Switching Protocols') && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    sock.write('ping-through-preview');
    while (!got.includes('ping-through-preview') && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    sock.destroy();
    expect(got).toContain('101 Switching Protocols');
    // The sandbox saw the upgrade on its own path, without the learner's cookie.
    expect(got).toContain('GET /socket HTTP/1.1');
    expect(got).not.toMatch(/slipway_/);
    expect(got).toContain('ping-through-preview');
  });

  it('summarises progress over every lab and the lessons read, for the sidebar', async () => {
    const viewed = await fetch(
      `${platform.url}/api/lessons/docker-fundamentals/images-and-containers/viewed`,
      {
        method: 'POST',
        headers: { cookie },
      },
    );
    expect(viewed.status).toBe(200);
    const bad = await fetch(`${platform.url}/api/lessons/..%2Fetc/viewed`, {
      method: 'POST',
      headers: { cookie },
    });
    expect(bad.status).toBe(404);
    const progress = await (
      await fetch(`${platform.url}/api/progress`, { headers: { cookie } })
    ).json();
    expect(progress.labs['first-containers']).toMatchObject({
      done: 5,
      total: 5,
      completedAt: expect.any(String),
    });
    expect(Object.keys(progress.lessons)).toEqual(['docker-fundamentals/images-and-containers']);
  });

  it('keeps progress and the same sandbox across a runner restart', async () => {
    const before = await sandboxesOf(instance);
    expect(before).toHaveLength(1);
    await platform.close();
    platform = await startPlatform(config(), silentLogger);
    const body = await (
      await fetch(`${platform.url}/api/labs/first-containers`, { headers: { cookie } })
    ).json();
    expect(body.progress.every((t: { state: string }) => t.state === 'passed')).toBe(true);
    expect(body.sandbox.exists).toBe(true);
    const c = ws('/api/labs/first-containers/terminal');
    await c.waitFor((m) => m.type === 'status' && m.phase === 'ready', 30_000);
    c.type('docker ps --format "{{.Names}}" | sort | tr "\\n" " "; echo END\r');
    await c.waitForScreen('cache web END');
    expect(await sandboxesOf(instance)).toEqual(before);
    c.close();
  });

  it('closes on bad frames with a reason and keeps serving', async () => {
    const cases: Array<[unknown, number, string]> = [
      ['not json', 1008, 'bad message: it is not JSON'],
      [
        { v: 1, type: 'resize', cols: -3, rows: 'x' },
        1008,
        'bad message: cols: must be a whole number from 1 to 100000; rows: must be a whole number from 1 to 100000',
      ],
      [
        { v: 1, type: 'explode' },
        1008,
        'bad message: type: must be one of "input", "resize", "check", "hint", "solution", "ack", "keep"',
      ],
      ['x'.repeat(MAX_FRAME_BYTES + 1), 1009, 'message too big: at most 64 KiB per message'],
    ];
    for (const [frame, code, reason] of cases) {
      const c = ws('/api/labs/first-containers/terminal');
      await c.opened();
      c.send(frame);
      expect(await c.closed).toEqual({ code, reason });
    }
    const health = await (await fetch(`${platform.url}/api/health`)).json();
    expect(health).toMatchObject({ ok: true, engine: 'up' });
    const body = await (
      await fetch(`${platform.url}/api/labs/first-containers`, { headers: { cookie } })
    ).json();
    expect(body.progress.filter((t: { state: string }) => t.state === 'passed')).toHaveLength(5);
  });

  it('tells the learner plainly when their sandbox dies mid-session, and starts a fresh one on request', async () => {
    const c = ws('/api/labs/first-containers/terminal');
    await c.waitFor((m) => m.type === 'status' && m.phase === 'ready', 30_000);
    await c.waitForScreen('learner@first-containers');
    const [name] = await sandboxesOf(instance);
    await engine.getContainer(name!.replace(/^\//, '')).kill();
    const err = await c.waitFor((m) => m.type === 'error', 20_000);
    expect(err).toMatchObject({
      code: 'SANDBOX_DIED',
      hint: 'Press Start to get a fresh sandbox. Your completed tasks are kept.',
    });
    await c.waitFor((m) => m.type === 'status' && m.phase === 'stopped');
    c.send({ v: 1, type: 'check' }); // what the page's Start/Check button sends
    await c.waitFor((m) => m.type === 'status' && m.phase === 'creating', 20_000);
    await c.waitFor((m) => m.type === 'status' && m.phase === 'ready', 90_000);
    const body = await (
      await fetch(`${platform.url}/api/labs/first-containers`, { headers: { cookie } })
    ).json();
    expect(body.progress.filter((t: { state: string }) => t.state === 'passed')).toHaveLength(5);
    c.close();
  });

  it('reset removes the sandbox and everything made for it', async () => {
    const r = await fetch(`${platform.url}/api/labs/first-containers/reset`, {
      method: 'POST',
      headers: { cookie },
    });
    expect(r.status).toBe(200);
    expect(await leftovers(instance)).toEqual({ containers: [], networks: [], volumes: [] });
    const forged = await fetch(`${platform.url}/api/labs/first-containers/reset`, {
      method: 'POST',
      headers: { cookie, origin: 'http://evil.example' },
    });
    expect(forged.status).toBe(403);
  });
});

describe('the platform with its engine down', () => {
  it('keeps serving and tells the learner why the lab cannot start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-it-down-'));
    const down = await startPlatform(
      loadConfig(
        {
          SLIPWAY_PORT: '0',
          SLIPWAY_PREVIEW_PORT: '0',
          SLIPWAY_WARM_POOL: '0',
          SLIPWAY_DATA_DIR: dir,
          SLIPWAY_INSTANCE: instance,
          SLIPWAY_DOCKER_SOCKET: '/run/slipway/nope.sock',
        },
        root,
      ),
      silentLogger,
    );
    try {
      const health = await fetch(`${down.url}/api/health`);
      expect(health.status).toBe(503);
      const r = await fetch(`${down.url}/api/learner`, { method: 'POST' });
      const c = new LabClient(
        `${down.url.replace('http', 'ws')}/api/labs/first-containers/terminal`,
        {
          cookie: r.headers.get('set-cookie')!.split(';')[0]!,
        },
      );
      const err = await c.waitFor((m) => m.type === 'error', 20_000);
      expect(err).toMatchObject({
        code: 'ENGINE_UNAVAILABLE',
        message: 'The lab service cannot reach its Docker engine right now.',
      });
      await c.waitFor((m) => m.type === 'status' && m.phase === 'failed');
      c.close();
    } finally {
      await down.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
