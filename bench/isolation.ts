/**
 * The cost of each isolation mode, measured in one run on the same engine: time from create to
 * an answering inner engine, time to load the first lab's images, an inner
 * `docker run --rm debian true`, and memory of the idle sandbox. `userns` is the baseline.
 * Prints a table for BENCHMARKS.md. Never fails on a number.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig } from '../lab-runner/src/config.ts';
import { loadCourseImages } from '../lab-runner/src/labs/course-images.ts';
import { loadLabs } from '../lab-runner/src/labs/load-labs.ts';
import type { SandboxIsolation } from '../lab-runner/src/sandbox/docker/docker-provider.ts';
import { createSandboxProvider } from '../lab-runner/src/sandbox/factory.ts';
import { waitUntilEngineReady } from '../lab-runner/src/sandbox/readiness.ts';

const root = join(import.meta.dirname, '..');
const config = loadConfig(process.env, root);
const RUNS = Number(process.env.BENCH_STARTS ?? 3);
const lab = loadLabs(config.labsDir, loadCourseImages(config.imagesDir)).labs.get(
  'first-containers',
)!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${Math.round(x)} ms`;

async function measure(isolation: SandboxIsolation) {
  const instance = `bench-iso-${randomBytes(3).toString('hex')}`;
  const provider = createSandboxProvider({ ...config, instance, isolation });
  const ready: number[] = [];
  const load: number[] = [];
  const run: number[] = [];
  const memory: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const info = await provider.create({
        labels: {
          instance,
          learner: 'bench',
          lab: lab.id,
          session: randomBytes(6).toString('hex'),
        },
        image: config.sandboxImage,
        hostname: 'bench',
        limits: { memoryBytes: config.sandboxMemory, pids: config.sandboxPids, cpus: 1 },
      });
      await waitUntilEngineReady(provider, info.id, { timeoutMs: 60_000 });
      const t1 = performance.now();
      await provider.loadImages(info.id, lab.images);
      const t2 = performance.now();
      const r = await provider.exec(info.id, {
        cmd: ['docker', 'run', '--rm', 'debian', 'true'],
        user: provider.learnerUser,
      });
      if (r.exitCode !== 0) throw new Error(`inner docker run failed: ${r.stderr}`);
      const t3 = performance.now();
      await new Promise((res) => setTimeout(res, 5_000));
      memory.push((await provider.stats(info.id)).memoryBytes / 1024 ** 2);
      ready.push(t1 - t0);
      load.push(t2 - t1);
      run.push(t3 - t2);
      await provider.destroy(info.id);
    }
  } finally {
    for (const s of await provider.list({})) await provider.destroy(s.id);
  }
  return { ready: median(ready), load: median(load), run: median(run), memory: median(memory) };
}

const base = await measure('userns');
const rootless = await measure('rootless');
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
console.log(`\nIsolation modes (${RUNS} sandboxes each, medians)\n`);
console.log(
  '| Figure | userns (default) | rootless | rootless / userns |\n| --- | --- | --- | --- |',
);
console.log(
  `| create -> inner engine answers | ${ms(base.ready)} | ${ms(rootless.ready)} | ${ratio(rootless.ready, base.ready)} |`,
);
console.log(
  `| load the lab's 3 images | ${ms(base.load)} | ${ms(rootless.load)} | ${ratio(rootless.load, base.load)} |`,
);
console.log(
  `| inner \`docker run --rm debian true\` | ${ms(base.run)} | ${ms(rootless.run)} | ${ratio(rootless.run, base.run)} |`,
);
console.log(
  `| idle memory (images loaded) | ${base.memory.toFixed(0)} MiB | ${rootless.memory.toFixed(0)} MiB | ${ratio(rootless.memory, base.memory)} |`,
);
