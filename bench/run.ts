/**
 * `npm run bench`: every figure of the performance budget, each beside a baseline measured in
 * the same run, written into BENCHMARKS.md between the latest-run markers (the history below
 * them is kept). Never fails on a number.
 *
 *   node bench/run.ts [terminal] [check-cost] [density] [pages] [database] [cluster]
 *   (default: all but cluster; `cluster` makes a 3-node test cluster on this machine, measures
 *   it, and removes it)
 *   BENCH_STARTS=5 BENCH_KEYS=300 BENCH_DENSITY_STEPS=1,2,3,4,6,8,10,15,20,25,30
 *   BENCH_DENSITY_SECONDS=60 BENCH_DENSITY_RUN_EVERY=10 BENCH_DENSITY_MODES=exec,resident BENCH_COST_LEARNERS=10
 *   BENCH_COST_SECONDS=60
 *   BENCH_WRITE=0   print only, leave BENCHMARKS.md alone
 */
import { join } from 'node:path';
import { loadConfig } from '../lab-runner/src/config.ts';
import { checkCostBench } from './check-cost.ts';
import { clusterBench } from './cluster.ts';
import { databaseBench } from './database.ts';
import { densityBench } from './density.ts';
import { type BenchRow, machine, markdownTable, writeLatest } from './lib.ts';
import { pagesBench } from './pages.ts';
import { ROOT } from './platform.ts';
import { terminalBench } from './terminal.ts';

const env = process.env;
const parts = new Set(process.argv.slice(2));
const want = (p: string) => (parts.size === 0 && p !== 'cluster') || parts.has(p);
const log = (s: string) => console.log(s);

const started = new Date();
const host = `unix://${loadConfig({ ...env }, ROOT).dockerSocket}`;
const rows: BenchRow[] = [];
let curve = '';

if (want('terminal')) {
  log('Time to terminal, echo, bulk output, checks, idle memory…');
  rows.push(
    ...(await terminalBench({
      starts: Number(env.BENCH_STARTS ?? 5),
      keys: Number(env.BENCH_KEYS ?? 300),
      log,
    })),
  );
}
if (want('check-cost')) {
  log('What checks cost the platform per learner, the old way and the new…');
  rows.push(
    ...(await checkCostBench({
      learners: Number(env.BENCH_COST_LEARNERS ?? 10),
      seconds: Number(env.BENCH_COST_SECONDS ?? 60),
      log,
    })),
  );
}
if (want('density')) {
  log('Density…');
  const curves: string[] = [];
  for (const mode of (env.BENCH_DENSITY_MODES ?? 'exec,resident').split(',')) {
    const d = await densityBench({
      steps: (env.BENCH_DENSITY_STEPS ?? '1,2,3,4,6,8,10,15,20,25,30').split(',').map(Number),
      seconds: Number(env.BENCH_DENSITY_SECONDS ?? 60),
      runEvery: Number(env.BENCH_DENSITY_RUN_EVERY ?? 10),
      mode: mode as 'exec' | 'resident',
      log,
    });
    rows.push(...d.rows);
    curves.push(d.curve);
  }
  curve = curves.map((c, i) => (i === 0 ? c : c.split('\n').slice(2).join('\n'))).join('\n');
}
if (want('pages')) {
  log('Page weight and time to an interactive terminal…');
  rows.push(...(await pagesBench({ root: ROOT, log })));
}

if (want('database')) {
  log('The progress database’s write rate…');
  rows.push(...databaseBench({ writes: Number(env.BENCH_DB_WRITES ?? 2000), log }));
}
if (want('cluster')) {
  log('A 3-node Swarm cluster on this machine…');
  rows.push(
    ...(await clusterBench({
      starts: Number(env.BENCH_STARTS ?? 5),
      keys: Number(env.BENCH_KEYS ?? 300),
      terminals: Number(env.BENCH_CLUSTER_TERMINALS ?? 16),
      parts: new Set((env.BENCH_CLUSTER_PARTS ?? '').split(',').filter(Boolean)),
      log,
    })),
  );
}

const minutes = ((Date.now() - started.getTime()) / 60_000).toFixed(1);
const section = [
  `## Latest run: ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  `Machine: ${machine(host)}. Measured by \`npm run bench\` (${[...(parts.size ? parts : ['terminal', 'check-cost', 'density', 'pages'])].join(', ')}; ${minutes} min), nothing else running. Each baseline is measured in the same run on the same engine; the ratio is Slipway ÷ baseline.`,
  '',
  markdownTable(rows),
  ...(curve
    ? ['', '**Density curve** (each step adds learners to the running ones):', '', curve]
    : []),
].join('\n');

console.log(`\n${section}\n`);
if (env.BENCH_WRITE !== '0') {
  writeLatest(join(ROOT, 'BENCHMARKS.md'), section);
  log('BENCHMARKS.md: latest run written.');
}
