import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCredentials } from '../../src/agent/credentials.ts';
import type { SandboxInfo } from '../../src/sandbox/provider.ts';
import { waitUntilEngineReady } from '../../src/sandbox/readiness.ts';
import { clusterEnv, nodeId, nodeOf, onNode, spec, swarmProvider } from './cluster.ts';

/**
 * The boundary on a cluster: the node agents answer only the runner, and only about Slipway
 * sandboxes; a sandbox on a worker node cannot escape, nor reach another node's sandbox, the
 * node agents or the swarm's own ports. Probes target only what this test starts.
 */
const root = join(import.meta.dirname, '../../..');
const instance = `cl-iso-${process.pid}`;
const provider = swarmProvider(instance);
const probes = readFileSync(join(root, 'lab-runner/test/integration/escape-probes.sh'), 'utf8');
const sh = (id: string, script: string) =>
  provider.exec(
    id,
    { cmd: ['bash', '-c', script], maxOutputBytes: 65_536 },
    { timeoutMs: 120_000 },
  );

/** A sandbox on a chosen node: the others are cordoned while it is placed. */
async function sandboxOn(name: string): Promise<SandboxInfo> {
  const others = ['n1', 'n2', 'n3'].filter((n) => n !== name);
  const ids = await Promise.all(others.map(nodeId));
  for (const id of ids) await provider.cordon(id);
  try {
    const info = await provider.create(spec(instance));
    await waitUntilEngineReady(provider, info.id, { timeoutMs: 120_000 });
    expect(await nodeOf(info)).toBe(name);
    return info;
  } finally {
    for (const id of ids) await provider.cordon(id, false);
  }
}

let a: SandboxInfo;
let b: SandboxInfo;
const plain = `plain-${process.pid}`;
beforeAll(async () => {
  a = await sandboxOn('n2');
  b = await sandboxOn('n3');
  // A container on n2 that is not a Slipway sandbox: the agent must refuse to touch it.
  onNode(2, ['run', '-d', '--name', plain, 'slipway/course-debian:latest', 'sleep', '600']);
}, 600_000);
afterAll(async () => {
  onNode(2, ['rm', '-f', plain]);
  for (const s of await provider.list({})) await provider.destroy(s.id).catch(() => {});
  provider.close();
});

/** One request to n2's agent with the given client credentials (or none). */
function askAgent(
  path: string,
  body: unknown,
  creds?: { cert: Buffer; key: Buffer },
): Promise<{ status: number; body: string }> {
  const tls = clusterEnv().SLIPWAY_AGENT_TLS_DIR!;
  const ca = readFileSync(join(tls, 'ca.pem'));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '10.210.0.12',
        port: Number(clusterEnv().SLIPWAY_AGENT_PORT),
        path,
        method: 'POST',
        ca,
        servername: 'slipway-agent',
        ...(creds ?? {}),
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('node agents', () => {
  it('refuse a client without the runner’s certificate, or with one of another CA', async () => {
    const container = onNode(2, ['inspect', '-f', '{{.Id}}', plain]).trim();
    await expect(askAgent('/v1/stats', { container })).rejects.toThrow();
    const other = mkdtempSync(join(tmpdir(), 'slipway-other-ca-'));
    try {
      execFileSync('bash', [join(root, 'scripts/cluster-credentials.sh'), other], {
        stdio: 'ignore',
      });
      const foreign = loadCredentials(other, 'runner');
      await expect(askAgent('/v1/stats', { container }, foreign)).rejects.toThrow();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuse, with the runner’s certificate, a container that is not a Slipway sandbox', async () => {
    const runnerCreds = loadCredentials(clusterEnv().SLIPWAY_AGENT_TLS_DIR!, 'runner');
    const container = onNode(2, ['inspect', '-f', '{{.Id}}', plain]).trim();
    const r = await askAgent('/v1/exec', { container, cmd: ['id'] }, runnerCreds);
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'AGENT_REFUSED' } });
    const bad = await askAgent('/v1/exec', { container: 'nope', cmd: ['id'] }, runnerCreds);
    expect(bad.status).toBe(400);
  });
});

describe('a sandbox on a worker node', () => {
  it('escapes nowhere: every known escape is blocked', async () => {
    const r = await sh(a.id, probes);
    const results = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('PROBE '))
      .map((l) => {
        const [, name, verdict] = l.split(' ');
        return { name: name!, verdict: verdict! };
      });
    expect(results.length).toBeGreaterThanOrEqual(10);
    expect(results.filter((p) => p.verdict === 'ESCAPED')).toEqual([]);
  });

  it('reaches neither a sandbox on another node, nor the agents, nor the swarm’s ports', async () => {
    await sh(
      b.id,
      "(while true; do printf 'HTTP/1.0 200 OK\\r\\n\\r\\ncanary' | nc -l -p 8088 -q 1; done) >/dev/null 2>&1 &",
    );
    const bIps = (await sh(b.id, 'hostname -I')).stdout.trim().split(/\s+/);
    // The canary answers inside its own sandbox.
    const up = await sh(
      b.id,
      'for i in $(seq 100); do r=$(curl -s -m 1 http://127.0.0.1:8088/) && [ "$r" = canary ] && break; sleep 0.1; done; printf %s "$r"',
    );
    expect(up.stdout).toBe('canary');
    const targets = [
      ...bIps.map((ip) => `${ip}:8088`),
      '10.210.0.12:7443', // its own node's agent
      '10.210.0.13:7443', // another node's agent
      '10.210.0.11:2377', // the swarm manager
      '10.210.0.13:7946', // swarm gossip on another node
    ];
    const r = await sh(
      a.id,
      targets
        .map(
          (t) =>
            `if timeout 3 bash -c 'echo > /dev/tcp/${t.replace(':', '/')}' 2>/dev/null; then echo "OPEN ${t}"; else echo "closed ${t}"; fi`,
        )
        .join('\n'),
    );
    expect(r.stdout.split('\n').filter((l) => l.startsWith('OPEN'))).toEqual([]);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('closed'))).toHaveLength(targets.length);
  });
});
