/**
 * The Swarm provider, measured on the 3-node test cluster (scripts/test-cluster.sh, made and
 * removed here) beside the one-host provider in the same run:
 *   - time to terminal, cold and from the warm pool, for a sandbox on a worker node
 *   - keystroke echo through the node agent
 *   - admission throughput (sandboxes started per minute) with 1, 2 and 3 nodes taking them
 *   - the runner's CPU and memory per connected terminal, scaled to 100
 * The nodes share this one machine's two cores: adding a node adds no CPU, so the throughput
 * figure shows what the cluster costs, not how it scales across real hosts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../lab-runner/src/config.ts';
import { createSandboxProvider } from '../lab-runner/src/sandbox/factory.ts';
import { waitUntilEngineReady } from '../lab-runner/src/sandbox/readiness.ts';
import type { SwarmSandboxProvider } from '../lab-runner/src/sandbox/swarm/swarm-provider.ts';
import { RunnerProcess } from '../lab-runner/test/integration/runner-process.ts';
import { ScriptedLearner } from './density.ts';
import { type BenchRow, distribution, fmtDist, fmtMs, ratio, sleep } from './lib.ts';
import { benchPlatform, ROOT } from './platform.ts';

const LAB = 'first-containers';
const script = join(ROOT, 'scripts/test-cluster.sh');
const manager = (args: string[]) =>
  execFileSync('docker', ['-H', 'unix:///run/slwc/n1.sock', ...args], { encoding: 'utf8' }).trim();

function clusterEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of execFileSync('bash', [script, 'env'], { encoding: 'utf8' }).split('\n')) {
    const m = /^(SLIPWAY_[A-Z_]+)=(.*)$/.exec(line);
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}

/** ms from opening the lab socket to the prompt. */
async function startToPrompt(url: string, cookie: string) {
  const t0 = performance.now();
  const l = new ScriptedLearner(url, cookie);
  await l.prompt();
  return { ms: performance.now() - t0, learner: l };
}

async function echoes(l: ScriptedLearner, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await l.echo());
    if (i % 40 === 39) {
      l.send({ type: 'input', data: '\u0015' });
      await sleep(20);
    }
  }
  return out;
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}
function rssBytes(pid: number): number {
  return (
    Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024
  );
}

export async function clusterBench(o: {
  starts: number;
  keys: number;
  terminals: number;
  log: (s: string) => void;
}): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const add = (r: BenchRow) => {
    rows.push(r);
    o.log(`  ${r.figure}: ${r.slipway} | ${r.baseline} | ${r.ratio ?? ''}`);
  };
  o.log('  making the test cluster…');
  execFileSync('bash', [script, 'up'], { stdio: 'ignore' });
  try {
    const env = clusterEnv();
    const managerId = manager(['info', '--format', '{{.Swarm.NodeID}}']);

    // One host, the same run: cold start and echo.
    const one = { cold: [] as number[], echo: [] as number[] };
    {
      await using single = await benchPlatform({ SLIPWAY_WARM_POOL: '0' });
      for (let i = 0; i <= o.starts; i++) {
        const s = await startToPrompt(single.terminalUrl(LAB), await single.newLearner());
        if (i > 0) one.cold.push(s.ms); // the first may build the seed
        if (i === o.starts) one.echo = await echoes(s.learner, o.keys);
        s.learner.close();
      }
    }
    const oneCold = distribution(one.cold);
    const oneEcho = distribution(one.echo);

    // The cluster: the manager takes no sandboxes, so every one lands on a worker.
    manager(['node', 'update', '--availability', 'pause', managerId]);
    const runner = new RunnerProcess({
      prefix: 'bench-cl',
      env: { ...env, SLIPWAY_WARM_POOL: '0' },
    });
    await runner.start();
    const cold: number[] = [];
    let echo: number[] = [];
    try {
      for (let i = 0; i <= o.starts; i++) {
        const s = await startToPrompt(
          `${runner.url.replace('http', 'ws')}/api/labs/${LAB}/terminal?cols=120&rows=30`,
          await runner.newLearner(),
        );
        if (i > 0) cold.push(s.ms); // the first builds the node's seed
        if (i === o.starts) echo = await echoes(s.learner, o.keys);
        s.learner.close();
      }
    } finally {
      await runner.dispose();
    }
    const coldD = distribution(cold);
    add({
      figure: `Cluster: time to terminal, cold, on a worker node (${o.starts} learners, p50 / p95 / p99)`,
      slipway: fmtDist(coldD),
      baseline: `one host, same run: ${fmtDist(oneCold)}`,
      ratio: ratio(coldD.p50, oneCold.p50),
    });
    const echoD = distribution(echo);
    add({
      figure: `Cluster: keystroke echo on a worker node, through its agent (${o.keys} keys, p50 / p95 / p99)`,
      slipway: fmtDist(echoD),
      baseline: `one host, same run: ${fmtDist(oneEcho)}`,
      ratio: `p99 ${ratio(echoD.p99, oneEcho.p99)}`,
    });

    // Warm: the pool keeps a sandbox ready on a worker; Start only attaches.
    const pooled = new RunnerProcess({
      prefix: 'bench-clw',
      env: { ...env, SLIPWAY_WARM_POOL: `${LAB}=1` },
    });
    await pooled.start();
    const warm: number[] = [];
    try {
      for (let i = 0; i < Math.min(o.starts, 3); i++) {
        // The pool has (re)filled: one more "ready" than handed out so far.
        const ready = () => (pooled.log.match(/warm pool sandbox ready/g) ?? []).length;
        for (let t = 0; t < 600 && ready() < i + 1; t++) await sleep(500);
        const s = await startToPrompt(
          `${pooled.url.replace('http', 'ws')}/api/labs/${LAB}/terminal?cols=120&rows=30`,
          await pooled.newLearner(),
        );
        warm.push(s.ms);
        s.learner.close();
      }
    } finally {
      await pooled.dispose();
    }
    const warmD = distribution(warm);
    add({
      figure: `Cluster: time to terminal from the warm pool, on a worker node (${warm.length} learners)`,
      slipway: fmtDist(warmD),
      baseline: `cold on the cluster above: ${fmtMs(coldD.p50)} p50`,
      ratio: ratio(warmD.p50, coldD.p50),
    });
    manager(['node', 'update', '--availability', 'active', managerId]);

    // Admission throughput: the same batch with 1, 2 and 3 nodes taking sandboxes.
    const config = loadConfig({ ...process.env, ...env, SLIPWAY_INSTANCE: 'bench-clt' });
    const provider = createSandboxProvider(config) as SwarmSandboxProvider;
    const nodes = (await provider.nodes()).map((n) => n.ID);
    const batch = 6;
    const perMinute: string[] = [];
    for (const taking of [1, 2, 3]) {
      for (const [i, id] of nodes.entries()) await provider.cordon(id, i >= taking);
      const t0 = performance.now();
      const made = await Promise.all(
        Array.from({ length: batch }, async (_, k) => {
          const info = await provider.create({
            labels: {
              instance: 'bench-clt',
              learner: `b${k}`,
              lab: LAB,
              session: `bt${taking}${k}${Date.now().toString(36)}`,
            },
            image: 'slipway/sandbox:latest',
            hostname: 'bench',
            limits: { memoryBytes: 256 * 1024 ** 2, pids: 500, cpus: 0.5 },
          });
          await waitUntilEngineReady(provider, info.id, { timeoutMs: 300_000 });
          return info.id;
        }),
      );
      const minutes = (performance.now() - t0) / 60_000;
      perMinute.push(`${taking} node${taking > 1 ? 's' : ''}: ${(batch / minutes).toFixed(1)}/min`);
      for (const id of made) await provider.destroy(id);
    }
    for (const id of nodes) await provider.cordon(id, false);
    provider.close();
    add({
      figure: `Cluster: admission throughput (${batch} sandboxes started at once, to a ready engine)`,
      slipway: perMinute.join(' · '),
      baseline: 'nodes share this machine’s 2 cores: no real CPU is added per node',
    });

    // The runner's own cost per connected terminal (scripted learners: a key a second).
    const loaded = new RunnerProcess({
      prefix: 'bench-clr',
      env: {
        ...env,
        SLIPWAY_WARM_POOL: '0',
        SLIPWAY_SANDBOX_MEMORY: '256m',
        SLIPWAY_SANDBOX_CPUS: '0.5',
      },
    });
    await loaded.start();
    try {
      const pid = loaded.pid!;
      const rss0 = rssBytes(pid);
      const learners: ScriptedLearner[] = [];
      for (let i = 0; i < o.terminals; i += 4) {
        const batchOf = Math.min(4, o.terminals - i);
        learners.push(
          ...(await Promise.all(
            Array.from({ length: batchOf }, async () => {
              const l = new ScriptedLearner(
                `${loaded.url.replace('http', 'ws')}/api/labs/${LAB}/terminal?cols=120&rows=30`,
                await loaded.newLearner(),
              );
              await l.prompt();
              return l;
            }),
          )),
        );
      }
      await sleep(5_000);
      const cpu0 = cpuSeconds(pid);
      const seconds = 60;
      const until = Date.now() + seconds * 1000;
      await Promise.all(
        learners.map(async (l) => {
          while (Date.now() < until) {
            await l.echo().catch(() => 0);
            await sleep(1000);
          }
        }),
      );
      const cpu = (cpuSeconds(pid) - cpu0) / seconds;
      const rss = rssBytes(pid) - rss0;
      const per100 = 100 / learners.length;
      add({
        figure: `Cluster: the runner per 100 connected terminals (measured with ${learners.length}, a key a second each, the platform's own polls; scaled linearly)`,
        slipway: `${(cpu * per100 * 100).toFixed(0)} % of a core · ${((rss * per100) / 1024 ** 2).toFixed(0)} MiB more memory`,
        baseline: `measured: ${(cpu * 100).toFixed(1)} % of a core, ${(rss / 1024 ** 2).toFixed(0)} MiB more`,
      });
      for (const l of learners) l.close();
    } finally {
      await loaded.dispose();
    }
  } finally {
    execFileSync('bash', [script, 'down'], { stdio: 'ignore' });
  }
  return rows;
}
