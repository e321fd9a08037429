/**
 * The Swarm provider, measured on the 3-node test cluster (scripts/test-cluster.sh, made and
 * removed here) beside the one-host provider in the same run:
 *   - start: time to terminal, cold, for a sandbox on a worker node; keystroke echo through its
 *     node agent
 *   - warm: time to terminal from the warm pool, on a worker node
 *   - admission: sandboxes started per minute with 1, 2 and 3 nodes taking them
 *   - runner: the runner's CPU and memory per connected terminal, scaled to 100
 * The nodes share this one machine's two cores: adding a node adds no CPU, so the throughput
 * figure shows what the cluster costs, not how it scales across real hosts.
 * BENCH_CLUSTER_PARTS=start,warm,admission,runner picks parts (default: all).
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
import { type BenchRow, distribution, fmtDist, ratio, sleep } from './lib.ts';
import { benchPlatform, ROOT } from './platform.ts';

const LAB = 'first-containers';
const script = join(ROOT, 'scripts/test-cluster.sh');
const manager = (args: string[]) =>
  execFileSync('docker', ['-H', 'unix:///run/slwc/n1.sock', ...args], { encoding: 'utf8' }).trim();

interface Options {
  starts: number;
  keys: number;
  terminals: number;
  parts: ReadonlySet<string>;
  log: (s: string) => void;
}
type Add = (r: BenchRow) => void;

function clusterEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of execFileSync('bash', [script, 'env'], { encoding: 'utf8' }).split('\n')) {
    const m = /^(SLIPWAY_[A-Z_]+)=(.*)$/.exec(line);
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}

const terminalUrl = (r: RunnerProcess) =>
  `${r.url.replace('http', 'ws')}/api/labs/${LAB}/terminal?cols=120&rows=30`;

/** ms from opening the lab socket to the prompt. */
async function startToPrompt(url: string, cookie: string) {
  const t0 = performance.now();
  const learner = new ScriptedLearner(url, cookie);
  try {
    await learner.prompt(180_000);
  } catch (err) {
    learner.close();
    throw err;
  }
  return { ms: performance.now() - t0, learner };
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

/** CPU seconds (user + system) a process has used, and its resident memory, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}
function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
}

/** Runs `fn` with the manager cordoned: every sandbox lands on a worker. */
async function onWorkers<T>(fn: () => Promise<T>): Promise<T> {
  const id = manager(['info', '--format', '{{.Swarm.NodeID}}']);
  manager(['node', 'update', '--availability', 'pause', id]);
  try {
    return await fn();
  } finally {
    manager(['node', 'update', '--availability', 'active', id]);
  }
}

async function startAndEcho(o: Options, env: Record<string, string>, add: Add) {
  const single = { cold: [] as number[], echo: [] as number[] };
  {
    await using one = await benchPlatform({ SLIPWAY_WARM_POOL: '0' });
    for (let i = 0; i <= o.starts; i++) {
      const s = await startToPrompt(one.terminalUrl(LAB), await one.newLearner());
      if (i > 0) single.cold.push(s.ms); // the first may build the seed
      if (i === o.starts) single.echo = await echoes(s.learner, o.keys);
      s.learner.close();
    }
  }
  const cold: number[] = [];
  let echo: number[] = [];
  await onWorkers(async () => {
    const runner = new RunnerProcess({
      prefix: 'bench-cl',
      env: { ...env, SLIPWAY_WARM_POOL: '0' },
    });
    await runner.start();
    try {
      // Each worker builds its own seed at its first start: those two are not counted.
      for (let i = 0; i < o.starts + 2; i++) {
        const s = await startToPrompt(terminalUrl(runner), await runner.newLearner());
        if (i >= 2) cold.push(s.ms);
        if (i === o.starts + 1) echo = await echoes(s.learner, o.keys);
        s.learner.close();
      }
    } finally {
      await runner.dispose();
    }
  });
  const oneCold = distribution(single.cold);
  const coldD = distribution(cold);
  add({
    figure: `Cluster: time to terminal, cold, on a worker node (${o.starts} learners, p50 / p95 / p99)`,
    slipway: fmtDist(coldD),
    baseline: `one host, same run: ${fmtDist(oneCold)}`,
    ratio: ratio(coldD.p50, oneCold.p50),
  });
  const oneEcho = distribution(single.echo);
  const echoD = distribution(echo);
  add({
    figure: `Cluster: keystroke echo on a worker node, through its agent (${o.keys} keys, p50 / p95 / p99)`,
    slipway: fmtDist(echoD),
    baseline: `one host, same run: ${fmtDist(oneEcho)}`,
    ratio: `p99 ${ratio(echoD.p99, oneEcho.p99)}`,
  });
}

async function warm(o: Options, env: Record<string, string>, add: Add) {
  const times: number[] = [];
  await onWorkers(async () => {
    const runner = new RunnerProcess({
      prefix: 'bench-clw',
      env: { ...env, SLIPWAY_WARM_POOL: `${LAB}=1` },
    });
    await runner.start();
    try {
      // The pool has (re)filled: one more "ready" than handed out so far.
      const ready = () => (runner.log.match(/warm pool sandbox ready/g) ?? []).length;
      for (let i = 0; i < Math.min(o.starts, 3); i++) {
        for (let t = 0; t < 600 && ready() < i + 1; t++) await sleep(500);
        const s = await startToPrompt(terminalUrl(runner), await runner.newLearner());
        times.push(s.ms);
        s.learner.close();
      }
    } finally {
      await runner.dispose();
    }
  });
  add({
    figure: `Cluster: time to terminal from the warm pool, on a worker node (${times.length} learners, p50 / p95 / p99)`,
    slipway: fmtDist(distribution(times)),
    baseline: 'the pool hands out a sandbox its worker made ready before the learner came',
  });
}

async function admission(env: Record<string, string>, add: Add) {
  const config = loadConfig({ ...process.env, ...env, SLIPWAY_INSTANCE: 'bench-clt' });
  const provider = createSandboxProvider(config) as SwarmSandboxProvider;
  const nodes = (await provider.nodes()).map((n) => n.ID);
  const batch = 6;
  const perMinute: string[] = [];
  try {
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
  } finally {
    for (const id of nodes) await provider.cordon(id, false);
    provider.close();
  }
  add({
    figure: `Cluster: admission throughput (${batch} sandboxes started at once, each to a ready engine)`,
    slipway: perMinute.join(' · '),
    baseline: 'the nodes share this machine’s 2 cores: a node adds no CPU here',
  });
}

async function runnerCost(o: Options, env: Record<string, string>, add: Add) {
  const runner = new RunnerProcess({
    prefix: 'bench-clr',
    env: {
      ...env,
      SLIPWAY_WARM_POOL: '0',
      SLIPWAY_SANDBOX_MEMORY: '256m',
      SLIPWAY_SANDBOX_CPUS: '0.5',
    },
  });
  await runner.start();
  try {
    const pid = runner.pid!;
    const rss0 = rssBytes(pid);
    const learners: ScriptedLearner[] = [];
    let failed = 0;
    for (let i = 0; i < o.terminals; i += 4) {
      const started = await Promise.allSettled(
        Array.from(
          { length: Math.min(4, o.terminals - i) },
          async () => (await startToPrompt(terminalUrl(runner), await runner.newLearner())).learner,
        ),
      );
      for (const r of started) {
        if (r.status === 'fulfilled') learners.push(r.value);
        else failed++;
      }
    }
    if (failed > 0) {
      o.log(`  ${failed} of ${o.terminals} terminals never showed a prompt; the runner said:`);
      const said = runner.log.split('\n').filter((l) => /"level":"(error|warn)"/.test(l));
      o.log(said.slice(-5).join('\n'));
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
    const scale = 100 / Math.max(1, learners.length);
    add({
      figure: `Cluster: the runner per 100 connected terminals (measured with ${learners.length}, a key a second each and the platform's own polls; scaled linearly)`,
      slipway: `${(cpu * scale * 100).toFixed(0)} % of a core · ${((rss * scale) / 1024 ** 2).toFixed(0)} MiB more memory`,
      baseline: `measured: ${(cpu * 100).toFixed(1)} % of a core, ${(rss / 1024 ** 2).toFixed(0)} MiB more than idle`,
    });
    for (const l of learners) l.close();
  } finally {
    await runner.dispose();
  }
}

export async function clusterBench(o: Options): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const add: Add = (r) => {
    rows.push(r);
    o.log(`  ${r.figure}: ${r.slipway} | ${r.baseline} | ${r.ratio ?? ''}`);
  };
  const part = (p: string) => o.parts.size === 0 || o.parts.has(p);
  o.log('  making the test cluster…');
  execFileSync('bash', [script, 'up'], { stdio: 'ignore' });
  try {
    const env = clusterEnv();
    if (part('start')) await startAndEcho(o, env, add);
    if (part('warm')) await warm(o, env, add);
    if (part('admission')) await admission(env, add);
    if (part('runner')) await runnerCost(o, env, add);
  } finally {
    execFileSync('bash', [script, 'down'], { stdio: 'ignore' });
  }
  return rows;
}
