/**
 * What checking costs the platform, per learner, with checks run the old way (an engine exec
 * per round, polls every 4 s: SLIPWAY_CHECK_MODE=exec) and the new (the checker's resident
 * process, rounds after the sandbox engine's events, rare polls: `resident`), in one run:
 *
 * - the platform's CPU per learner-minute, with learners busy (the density bench's script: a
 *   key a second, an inner `docker run` every 10 s, Check every 5 s) and with their pages open
 *   but nobody typing. The platform is the runner, the outer engine (dockerd, containerd,
 *   port proxies, the shims and the runc they start) and the checkers, counted process by
 *   process; not the sandboxes' cgroups (the learner's own work: their shell, inner engine
 *   and containers) nor this process (the scripted learners, which stand for browsers
 *   elsewhere). The machine's busy time less those two is printed beside it: the two agree
 *   when nothing else runs on the machine;
 * - the time from a command that completes a task (`docker run -d --name web -p 8080:80
 *   nginx`, Enter) to the page being told it passed.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadConfig } from '../lab-runner/src/config.ts';
import { createSandboxProvider } from '../lab-runner/src/sandbox/factory.ts';
import type { SandboxProvider } from '../lab-runner/src/sandbox/provider.ts';
import { RunnerProcess } from '../lab-runner/test/integration/runner-process.ts';
import {
  benchSeconds,
  machineBusySeconds,
  platformDelta,
  platformReading,
  sandboxSeconds,
} from './cpu.ts';
import { act, ScriptedLearner } from './density.ts';
import { type BenchRow, type Distribution, distribution, fmtDist, sleep } from './lib.ts';
import { ROOT } from './platform.ts';

const LAB = 'first-containers';

interface Window {
  /** Counted process by process (platformReading): what other work on the machine leaves alone. */
  platform: number;
  /** The machine's busy time less the sandboxes and this process: the same when nothing else runs. */
  machineLess: number;
  learner: number;
}

/** CPU seconds per learner-minute spent by the platform and by the learners' sandboxes. */
async function measure(
  provider: SandboxProvider,
  runnerPid: number,
  learners: number,
  work: () => Promise<void>,
) {
  const engineDaemonPid = Number(
    readFileSync(join(dirname(loadConfig({}, ROOT).dockerSocket), 'dockerd.pid'), 'utf8'),
  );
  const read = async () => ({
    machine: machineBusySeconds(),
    sandboxes: await sandboxSeconds(provider, LAB),
    bench: benchSeconds(),
    platform: await platformReading({ runnerPid, engineDaemonPid, provider, lab: LAB }),
  });
  const t0 = performance.now();
  const a = await read();
  await work();
  const b = await read();
  const learnerMinutes = (learners * (performance.now() - t0)) / 60_000;
  return {
    platform: platformDelta(a.platform, b.platform) / learnerMinutes,
    machineLess:
      (b.machine - a.machine - (b.sandboxes - a.sandboxes) - (b.bench - a.bench)) / learnerMinutes,
    learner: (b.sandboxes - a.sandboxes) / learnerMinutes,
  } satisfies Window;
}

interface ModeResult {
  busy: Window;
  idle: Window;
  green: Distribution;
  check: Distribution;
}

async function runMode(
  mode: 'exec' | 'resident',
  o: { learners: number; seconds: number; log: (s: string) => void },
): Promise<ModeResult> {
  const defaults = loadConfig({}, ROOT);
  const runner = new RunnerProcess({
    prefix: 'bench',
    env: {
      SLIPWAY_WARM_POOL: '0',
      SLIPWAY_MAX_SANDBOXES: String(o.learners + 2),
      SLIPWAY_CHECK_INTERVAL_MS: String(defaults.checkIntervalMs),
      SLIPWAY_CHECK_MODE: mode,
    },
  });
  await using _runner = { [Symbol.asyncDispose]: () => runner.dispose() };
  await runner.start();
  const provider = createSandboxProvider({ ...defaults, instance: runner.instance });
  const url = `${runner.url.replace('http', 'ws')}/api/labs/${LAB}/terminal?cols=120&rows=30`;
  const learners: ScriptedLearner[] = [];
  try {
    while (learners.length < o.learners) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(3, o.learners - learners.length) }, async () => {
          const l = new ScriptedLearner(url, await runner.newLearner());
          await l.prompt();
          return l;
        }),
      );
      learners.push(...batch);
    }
    await sleep(3000);
    const greens = await Promise.all(
      learners.map((l) => l.commandToGreen('docker run -d --name web -p 8080:80 nginx', 'run-web')),
    );
    await sleep(3000);
    const echoes: number[] = [];
    const checks: number[] = [];
    const busy = await measure(provider, runner.pid!, learners.length, async () => {
      await Promise.all(learners.map((l) => act(l, o.seconds, 10, echoes, checks)));
    });
    await sleep(3000);
    const idle = await measure(provider, runner.pid!, learners.length, async () => {
      await sleep(o.seconds * 1000);
    });
    const result = { busy, idle, green: distribution(greens), check: distribution(checks) };
    o.log(
      `  ${mode}: platform ${busy.platform.toFixed(2)} CPU-s per busy learner-minute, ${idle.platform.toFixed(2)} idle (machine less the sandboxes: ${busy.machineLess.toFixed(2)} / ${idle.machineLess.toFixed(2)}); learner's own ${busy.learner.toFixed(2)} / ${idle.learner.toFixed(2)}; command → green ${fmtDist(result.green)}; check ${fmtDist(result.check)}`,
    );
    return result;
  } finally {
    for (const l of learners) l.close();
  }
}

export async function checkCostBench(o: {
  learners: number;
  seconds: number;
  log: (s: string) => void;
}): Promise<BenchRow[]> {
  const before = await runMode('exec', o);
  const after = await runMode('resident', o);
  const n = `${o.learners} learners, ${o.seconds} s`;
  const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0)} %`;
  const cpu = (w: Window) =>
    `${w.platform.toFixed(2)} CPU-s (machine less the sandboxes ${w.machineLess.toFixed(2)}; learner's own ${w.learner.toFixed(2)})`;
  return [
    {
      figure: `Platform CPU per busy learner-minute (${n}: a key a second, \`docker run\` every 10 s, Check every 5 s)`,
      slipway: cpu(after.busy),
      baseline: `exec per round, polls every 4 s: ${cpu(before.busy)}`,
      ratio: pct(after.busy.platform, before.busy.platform),
      budget: `≤ 50 % ${after.busy.platform <= before.busy.platform / 2 ? '✅' : '❌'}`,
    },
    {
      figure: `Platform CPU per idle learner-minute (${n}, page open, nobody typing)`,
      slipway: cpu(after.idle),
      baseline: `exec per round, polls: ${cpu(before.idle)}`,
      ratio: pct(after.idle.platform, before.idle.platform),
      budget: '',
    },
    {
      figure: `Command → task green (\`docker run -d --name web …\`, ${o.learners} learners at once, p50 / p95 / p99)`,
      slipway: fmtDist(after.green),
      baseline: `exec per round: ${fmtDist(before.green)}`,
      ratio: `${(after.green.p50 / before.green.p50).toFixed(2)}×`,
      budget: '',
    },
  ];
}
