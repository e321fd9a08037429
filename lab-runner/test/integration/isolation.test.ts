import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxInfo } from '../../src/sandbox/provider.ts';
import { waitUntilEngineReady } from '../../src/sandbox/readiness.ts';
import { startEngineless } from '../engineless-platform.ts';
import { engine, newInstance, sandboxAddress, sweep, testProvider } from './engine.ts';

/**
 * The security boundary, tested on real sandboxes. Probes only target the sandboxes and
 * canaries this test starts itself, and a listener it opens on the host.
 */
const instance = newInstance('isolation');
const provider = testProvider(instance);
const probes = readFileSync(join(import.meta.dirname, 'escape-probes.sh'), 'utf8');

async function sandbox(name: string): Promise<SandboxInfo> {
  const info = await provider.create({
    labels: {
      instance,
      learner: `isolation-${name}`,
      lab: 'isolation',
      session: randomBytes(6).toString('hex'),
    },
    image: 'slipway/sandbox:latest',
    hostname: name,
    limits: { memoryBytes: 512 * 1024 ** 2, pids: 300, cpus: 1 },
  });
  await waitUntilEngineReady(provider, info.id, { timeoutMs: 60_000 });
  return info;
}
const sh = (id: string, script: string, timeoutMs = 60_000) =>
  provider.exec(id, { cmd: ['bash', '-c', script], maxOutputBytes: 65_536 }, { timeoutMs });

let a: SandboxInfo;
let b: SandboxInfo;
beforeAll(async () => {
  [a, b] = await Promise.all([sandbox('alpha'), sandbox('beta')]);
});
afterAll(() => sweep(instance));

describe('escape probes (isolation mode: user-namespaced engine)', () => {
  it('every known escape is blocked for root in a sandbox', async () => {
    const r = await sh(a.id, probes);
    const results = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('PROBE '))
      .map((l) => {
        const [, name, verdict, ...detail] = l.split(' ');
        return { name: name!, verdict: verdict!, detail: detail.join(' ') };
      });
    console.table(results);
    expect(results.length).toBeGreaterThanOrEqual(10);
    expect(results.filter((p) => p.verdict === 'ESCAPED')).toEqual([]);
    // The only Docker engine a sandbox reaches is its own.
    const inner = results.find((p) => p.name === 'inner_engine_id')?.detail;
    const outer = ((await engine.info()) as { ID: string }).ID;
    expect(inner).toBeTruthy();
    expect(inner).not.toBe(outer);
  });
});

describe('network isolation', () => {
  let canaryIp: string;
  let listener: Server | undefined;

  it('a sandbox cannot reach another sandbox', async () => {
    // The canary: a web server published on beta's own address.
    const started = await sh(
      b.id,
      'docker run -d --name canary -p 8088:80 nginx >/dev/null && sleep 1 && curl -s -o /dev/null -w "%{http_code}" http://localhost:8088',
    );
    if (started.stdout.trim() !== '200') {
      // nginx is not loaded in a bare sandbox: serve with nc instead.
      await sh(
        b.id,
        "(while true; do printf 'HTTP/1.0 200 OK\\r\\n\\r\\ncanary' | nc -l -p 8088 -q 1; done) >/dev/null 2>&1 &",
      );
    }
    canaryIp = await sandboxAddress(b.id);
    const fromHost = await fetch(`http://${canaryIp}:8088/`).then(
      (r) => r.status,
      () => 0,
    );
    expect(fromHost).toBe(200); // the canary is up, the host (the preview proxy) reaches it
    const r = await sh(
      a.id,
      `curl -s -m 3 -o /dev/null -w "%{http_code}" http://${canaryIp}:8088/ || echo unreachable`,
    );
    expect(r.stdout).toContain('unreachable');
  });

  it("a sandbox cannot reach another sandbox's checker, engine socket or home", async () => {
    // Beta has a checker and a secret in its home; alpha, hostile, goes looking for them.
    await sh(b.id, 'echo beta-secret-4711 >/root/secret');
    const bChecker = await provider.exec(b.id, { in: 'checker', cmd: ['cat', '/root/secret'] });
    expect(bChecker.stdout.trim()).toBe('beta-secret-4711');
    const session = b.labels.session;
    const r = await sh(
      a.id,
      `ls /var/lib/docker/.slipway-api
       curl -s -m 3 --unix-socket /var/lib/docker/.slipway-api/docker.sock http://engine/info | jq -r .Name
       docker volume inspect slipway-home-${session} slipway-docker-${session} >/dev/null 2>&1 || echo no-such-volumes
       grep -rs beta-secret-4711 /root /var/lib/docker/volumes || echo not-found`,
    );
    const [listing, engineName, ...rest] = r.stdout.trim().split('\n');
    // Its own API socket only, answered by its own engine (its hostname is alpha's).
    expect(listing).toBe('docker.sock');
    expect(engineName).toBe('alpha');
    // Beta's volume names mean nothing to alpha's engine, and the secret is nowhere in reach.
    expect(rest).toEqual(['no-such-volumes', 'not-found']);
  });

  it('a sandbox cannot open connections to the host', async () => {
    const c = await engine.getContainer(a.id).inspect();
    const netName = Object.keys(c.NetworkSettings.Networks)[0]!;
    const gateway = (await engine.getNetwork(netName).inspect()).IPAM?.Config?.[0]
      ?.Gateway as string;
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // A canary listener on the host, on the sandbox network's own gateway address.
    let connected = false;
    listener = createServer((s) => {
      connected = true;
      s.end('host-canary');
    });
    await new Promise<void>((r) => listener!.listen(0, gateway, r));
    const port = (listener.address() as { port: number }).port;
    const r = await sh(a.id, `nc -z -w 3 ${gateway} ${port} && echo reached || echo refused`);
    listener.close();
    expect(r.stdout.trim()).toBe('refused');
    expect(connected).toBe(false);
  });

  it("no route of the platform's, the LMS, read-API and class-settings ones included, answers a sandbox", async () => {
    const c = await engine.getContainer(b.id).inspect();
    const netName = Object.keys(c.NetworkSettings.Networks)[0]!;
    const gateway = (await engine.getNetwork(netName).inspect()).IPAM?.Config?.[0]
      ?.Gateway as string;
    // The real runner, listening on the host's address on the sandbox's own network: the
    // nearest a hostile learner's root can get to it.
    await using runner = await startEngineless({
      name: 'isolation-routes',
      lessons: { '01-basics/01-intro.mdx': '---\ntitle: Intro\n---\n\nText.\n' },
      env: { SLIPWAY_HOST: gateway },
    });
    const paths = [
      '/lti/login?iss=x&login_hint=y&target_link_uri=z',
      '/lti/jwks',
      '/api/v1/openapi.json',
      '/api/v1/classes',
      '/api/instructor/tokens',
      '/api/instructor/classes/AAAAAAAA/settings',
      '/api/join/ABCD2345',
    ];
    // The host reaches every path (so each refusal below is the sandbox's, not a missing route).
    for (const p of paths) expect((await fetch(runner.url(p))).status, p).toBeLessThan(500);
    const r = await sh(
      b.id,
      paths
        .map((p) => `curl -s -o /dev/null -w '%{http_code}\\n' --max-time 3 '${runner.url(p)}'`)
        .join('; '),
    );
    expect(r.stdout.trim().split('\n')).toEqual(paths.map(() => '000'));
  });

  it('a fork bomb and a memory hog in one sandbox leave the other one responsive', async () => {
    await sh(
      a.id,
      'bomb() { bomb | bomb & }; (bomb) >/dev/null 2>&1 & (head -c 2G /dev/zero | tail >/dev/null) >/dev/null 2>&1 & echo started',
      10_000,
    );
    await new Promise((r) => setTimeout(r, 3000));
    const started = Date.now();
    const ok = await sh(b.id, 'echo beta-alive');
    expect(ok.stdout.trim()).toBe('beta-alive');
    console.log(
      `beta answered in ${Date.now() - started} ms while alpha was under a fork bomb and a memory hog`,
    );
    // Alpha's limits held: its processes stay under its pids limit.
    const stats = await provider.stats(a.id).catch(() => ({ pids: 0, memoryBytes: 0 }));
    expect(stats.pids).toBeLessThanOrEqual(300);
    expect(stats.memoryBytes).toBeLessThanOrEqual(512 * 1024 ** 2);
  });
});
