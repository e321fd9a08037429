import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SandboxEgress, SandboxInfo } from '../../src/sandbox/provider.ts';
import { waitUntilEngineReady } from '../../src/sandbox/readiness.ts';
import { newInstance, sweep, testProvider } from './engine.ts';
import { getOver } from './raw-http.ts';

/**
 * The egress setting, proved against a canary this test creates: a web server in a network
 * namespace of its own on the host, reached through the host's routing like any outside
 * address. An `open` sandbox reaches it; a `none` sandbox does not, yet still reaches the
 * classroom mirror and is still reachable for previews.
 */
const instance = newInstance('egress');
const provider = testProvider(instance);
const tag = randomBytes(2).toString('hex');
const ns = `slw-canary-${tag}`;
const subnet = `10.250.${Number.parseInt(tag, 16) % 250}`;
const canary = `${subnet}.2`;
let server: ChildProcess | undefined;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

async function sandbox(egress: SandboxEgress): Promise<SandboxInfo> {
  const info = await provider.create({
    labels: {
      instance,
      learner: `egress-${egress}`,
      lab: 'egress',
      session: randomBytes(6).toString('hex'),
    },
    image: 'slipway/sandbox:latest',
    hostname: egress,
    limits: { memoryBytes: 512 * 1024 ** 2, pids: 300, cpus: 1 },
    egress,
  });
  await waitUntilEngineReady(provider, info.id, { timeoutMs: 60_000 });
  return info;
}
const sh = (id: string, script: string) =>
  provider.exec(id, { cmd: ['bash', '-c', script], maxOutputBytes: 65_536 }, { timeoutMs: 30_000 });
const get = (url: string) =>
  `curl -s -m 3 -o /dev/null -w '%{http_code}' ${url} || echo unreachable`;

let open: SandboxInfo;
let closed: SandboxInfo;
beforeAll(async () => {
  ip('netns', 'add', ns);
  ip('link', 'add', `slwc${tag}h`, 'type', 'veth', 'peer', 'name', `slwc${tag}n`);
  ip('link', 'set', `slwc${tag}n`, 'netns', ns);
  ip('addr', 'add', `${subnet}.1/30`, 'dev', `slwc${tag}h`);
  ip('link', 'set', `slwc${tag}h`, 'up');
  ip('-n', ns, 'addr', 'add', `${canary}/30`, 'dev', `slwc${tag}n`);
  ip('-n', ns, 'link', 'set', `slwc${tag}n`, 'up');
  ip('-n', ns, 'route', 'add', 'default', 'via', `${subnet}.1`);
  // A bare socket loop: http.server would first look its own name up, with no DNS in here.
  const serve = [
    'import socket',
    's = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
    `s.bind(('${canary}', 8099)); s.listen(16)`,
    'while True:',
    '    c, _ = s.accept(); c.recv(4096)',
    "    c.sendall(b'HTTP/1.0 200 OK\\r\\nContent-Length: 6\\r\\n\\r\\ncanary'); c.close()",
  ].join('\n');
  server = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', serve], { stdio: 'ignore' });
  [open, closed] = await Promise.all([sandbox('open'), sandbox('none')]);
});
afterAll(async () => {
  if (server?.pid) process.kill(server.pid, 'SIGTERM');
  try {
    ip('netns', 'delete', ns); // takes the veth pair with it
  } catch {}
  await sweep(instance);
});

describe('egress', () => {
  it('an open sandbox reaches an outside address; a closed one does not', async () => {
    // The canary answers from the host, so a refusal below is the sandbox's, not the canary's.
    expect(
      execFileSync('curl', [
        '-s',
        '-m',
        '3',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        `http://${canary}:8099/`,
      ]).toString(),
    ).toBe('200');
    expect((await sh(open.id, get(`http://${canary}:8099/`))).stdout.trim()).toBe('200');
    expect((await sh(closed.id, get(`http://${canary}:8099/`))).stdout.trim()).toContain(
      'unreachable',
    );
  });

  it('a closed sandbox still reaches the classroom mirror and still serves previews', async () => {
    expect((await sh(closed.id, get('http://mirror:5000/v2/'))).stdout.trim()).toBe('200');
    await sh(
      closed.id,
      "(while true; do printf 'HTTP/1.0 200 OK\\r\\n\\r\\npreview' | nc -l -p 8088 -q 1; done) >/dev/null 2>&1 &",
    );
    // The server starts in the background: ask until it listens.
    const reply = await vi.waitFor(() => provider.connectPort(closed.id, 8088).then(getOver), {
      timeout: 10_000,
      interval: 100,
    });
    expect(reply).toMatch(/\r\n\r\npreview$/);
  });
});
