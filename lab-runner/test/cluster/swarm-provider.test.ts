import { afterAll, describe, expect, it } from 'vitest';
import { waitUntilEngineReady } from '../../src/sandbox/readiness.ts';
import { getOver } from '../integration/raw-http.ts';
import { nodeId, nodeOf, spec, swarmProvider } from './cluster.ts';

/**
 * The Swarm provider on a real 3-node swarm (global-setup.ts): a sandbox is a service Swarm
 * places, and everything done to it goes through its node's agent.
 */
const instance = `cl-prov-${process.pid}`;
const provider = swarmProvider(instance);

afterAll(async () => {
  for (const s of await provider.list({})) await provider.destroy(s.id).catch(() => {});
  provider.close();
});

describe('the Swarm provider', () => {
  it('reports the cluster’s capacity: every node labelled for sandboxes', async () => {
    const one = await provider.capacity({ memoryBytes: 512 * 1024 ** 2, pids: 500, cpus: 1 });
    // Three nodes, each this machine's memory and cores (a node's own figure counts once each).
    expect(one).toBeGreaterThanOrEqual(3);
  });

  it('starts a sandbox as a service on a node, with its engine ready, and works it through the agent', async () => {
    const debian = {
      name: 'debian',
      source: 'slipway/course-debian:latest',
      tags: ['debian:latest'],
    };
    const info = await provider.create(spec(instance, { images: [debian] }));
    expect(info.state).toBe('running');
    // Its node's agent put a prepared store of its images in place before its engine started.
    expect(info.imagesReady).toBe(true);
    await waitUntilEngineReady(provider, info.id, { timeoutMs: 120_000 });
    expect(await nodeOf(info)).toMatch(/^n[123]$/);

    const r = await provider.exec(info.id, {
      cmd: ['sh', '-c', 'docker run --rm debian echo hi-from-$((1+1))'],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('hi-from-2\n');

    const t = await provider.openTerminal(info.id, { cmd: ['bash', '--norc'], cols: 80, rows: 24 });
    let screen = '';
    t.stream.on('data', (d: Buffer) => {
      screen += d.toString();
    });
    t.stream.write('echo "term-$((6*7))"\r');
    await expect.poll(() => screen, { timeout: 10_000 }).toContain('term-42');
    await t.resize(100, 30);
    await t[Symbol.asyncDispose]();

    await provider.exec(info.id, {
      cmd: [
        'sh',
        '-c',
        "(while true; do printf 'HTTP/1.0 200 OK\\r\\n\\r\\nport-ok' | nc -l -p 8088 -q 1; done) >/dev/null 2>&1 &",
      ],
    });
    await expect
      .poll(async () => getOver(await provider.connectPort(info.id, 8088)).catch(() => ''), {
        timeout: 10_000,
      })
      .toMatch(/port-ok$/);

    // The sandbox engine's activity, heard through the node's agent (checks follow it).
    let heard = 0;
    const stopWatching = new AbortController();
    const watching = provider.watchActivity(info.id, () => heard++, {
      signal: stopWatching.signal,
    });
    let volumes = 0;
    await expect
      .poll(
        async () => {
          await provider.exec(info.id, {
            cmd: ['docker', 'volume', 'create', `heard-${volumes++}`],
          });
          return heard;
        },
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);
    stopWatching.abort();
    await watching;

    const stats = await provider.stats(info.id);
    expect(stats.memoryBytes).toBeGreaterThan(0);
    expect(await provider.diskUsage(info.id)).toBeGreaterThan(0);

    await provider.destroy(info.id);
    expect(await provider.inspect(info.id)).toBeUndefined();
    expect((await provider.resources()).filter((r) => r.session === info.labels.session)).toEqual(
      [],
    );
  });

  it('a cordoned node takes no new sandbox; its running ones go on', async () => {
    const n3 = await nodeId('n3');
    await provider.cordon(n3);
    try {
      const made = await Promise.all([1, 2, 3].map(() => provider.create(spec(instance))));
      const where = await Promise.all(made.map(nodeOf));
      expect(where).not.toContain('n3');
      for (const m of made) await provider.destroy(m.id);
    } finally {
      await provider.cordon(n3, false);
    }
  });
});
