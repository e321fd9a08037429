/**
 * Density: how many active learners one host holds. Learners are added in steps; at each step
 * every learner, for a fixed window, types a key every second (its echo timed), runs an inner
 * `docker run --rm debian true` every `runEvery` s (10 by default) and presses Check every 5 s (click → the
 * result of the task they are on, timed), while the platform runs its own checks after each
 * command and on its poll (every 4 s by default): checks every few seconds in all. The curve
 * ends at the first step past echo p95 50 ms or check p95 1 s (or at the last step).
 */
import { WebSocket } from 'ws';
import { loadConfig } from '../lab-runner/src/config.ts';
import { createSandboxProvider } from '../lab-runner/src/sandbox/factory.ts';
import { RunnerProcess } from '../lab-runner/test/integration/runner-process.ts';
import { benchSeconds, machineBusySeconds, sandboxSeconds } from './cpu.ts';
import { type BenchRow, distribution, fmtDist, fmtMs, sleep } from './lib.ts';
import { ROOT } from './platform.ts';

const LAB = 'first-containers';
const ECHO_LIMIT_MS = 50;
const CHECK_LIMIT_MS = 1000;
const KEY = '%';
const CHECK_EVERY_MS = 5_000;

/** One scripted learner on the real WebSocket; keeps only the tail of its screen. */
export class ScriptedLearner {
  readonly ws: WebSocket;
  private screen = '';
  private keysSeen = 0;
  private waiters: Array<{ test: () => boolean; resolve: () => void }> = [];
  private checkWaiter: (() => void) | undefined;
  /** Each task's state as the page was last told. */
  private readonly tasks = new Map<string, string>();

  constructor(url: string, cookie: string) {
    this.ws = new WebSocket(url, { headers: { cookie } });
    this.ws.on('error', () => {});
    this.ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as {
        type: string;
        data?: string;
        trigger?: string;
        task?: { id: string; state: string };
      };
      if (m.type === 'task' && m.task) this.tasks.set(m.task.id, m.task.state);
      if (m.type === 'output' && m.data) {
        this.screen = (this.screen + m.data).slice(-4000);
        for (const ch of m.data) if (ch === KEY) this.keysSeen++;
      }
      if (m.type === 'task' && m.trigger === 'click') this.checkWaiter?.();
      const met = this.waiters.filter((w) => w.test());
      this.waiters = this.waiters.filter((w) => !met.includes(w));
      for (const w of met) w.resolve();
    });
  }

  private until(test: () => boolean, timeoutMs: number): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
      this.waiters.push({
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  send(msg: object): void {
    this.ws.send(JSON.stringify({ v: 1, ...msg }));
  }

  prompt(timeoutMs = 300_000): Promise<void> {
    return this.until(() => this.screen.includes('learner@'), timeoutMs);
  }

  /** Types one key; ms until its echo is on the screen. */
  async echo(): Promise<number> {
    const want = this.keysSeen + 1;
    const t0 = performance.now();
    this.send({ type: 'input', data: KEY });
    await this.until(() => this.keysSeen >= want, 30_000);
    return performance.now() - t0;
  }

  /** Presses Check; ms until the first task result of that click arrives. */
  async check(): Promise<number> {
    const t0 = performance.now();
    const done = new Promise<void>((r) => {
      this.checkWaiter = r;
    });
    this.send({ type: 'check' });
    await Promise.race([done, sleep(30_000)]);
    this.checkWaiter = undefined;
    return performance.now() - t0;
  }

  /** Types a command and Enter; ms until the page is told that `task` passed. */
  async commandToGreen(command: string, task: string): Promise<number> {
    const t0 = performance.now();
    this.send({ type: 'input', data: `\u0015${command}\r` });
    await this.until(() => this.tasks.get(task) === 'passed', 60_000);
    return performance.now() - t0;
  }

  close(): void {
    this.ws.close();
  }
}

export interface DensityStep {
  learners: number;
  /** Cores in use during the step: the platform's, and the learners' own (their sandboxes). */
  platformCores: number;
  learnerCores: number;
  echo: ReturnType<typeof distribution>;
  check: ReturnType<typeof distribution>;
  memMiB: number;
  anonMiB: number;
  within: boolean;
}

/** One learner's activity for `seconds`; pushes its samples into the shared arrays. */
export async function act(
  l: ScriptedLearner,
  seconds: number,
  runEvery: number,
  echoes: number[],
  checks: number[],
) {
  const offset = Math.random() * 1000;
  await sleep(offset);
  const end = performance.now() + seconds * 1000;
  let checkDue = performance.now() + Math.random() * CHECK_EVERY_MS;
  for (let tick = Math.floor(Math.random() * runEvery); performance.now() < end; tick++) {
    const t = performance.now();
    if (tick % runEvery === 0)
      l.send({ type: 'input', data: '\u0015docker run --rm debian true\r' });
    else echoes.push(await l.echo().catch(() => 30_000));
    if (performance.now() >= checkDue) {
      checks.push(await l.check());
      checkDue += CHECK_EVERY_MS;
    }
    await sleep(Math.max(0, 1000 - (performance.now() - t)));
  }
}

export async function densityBench(o: {
  steps: number[];
  seconds: number;
  /** Seconds between a learner's inner `docker run`s: the weight of the learners' own work. */
  runEvery?: number;
  /** How checks run (SLIPWAY_CHECK_MODE); the runner's default when undefined. */
  mode?: 'exec' | 'resident';
  log: (s: string) => void;
}): Promise<{ steps: DensityStep[]; rows: BenchRow[]; curve: string }> {
  // The platform runs in a process of its own, as `make up` runs it: the scripted learners
  // stand for browsers on other machines and must not share its event loop.
  const defaults = loadConfig({}, ROOT);
  const runner = new RunnerProcess({
    prefix: 'bench',
    env: {
      SLIPWAY_WARM_POOL: '0',
      SLIPWAY_MAX_SANDBOXES: String(Math.max(...o.steps) + 2),
      SLIPWAY_CHECK_INTERVAL_MS: String(defaults.checkIntervalMs),
      ...(o.mode ? { SLIPWAY_CHECK_MODE: o.mode } : {}),
    },
  });
  await using _runner = { [Symbol.asyncDispose]: () => runner.dispose() };
  await runner.start();
  const provider = createSandboxProvider({ ...defaults, instance: runner.instance });
  const terminalUrl = `${runner.url.replace('http', 'ws')}/api/labs/${LAB}/terminal?cols=120&rows=30`;
  const runEvery = o.runEvery ?? 10;
  const learners: ScriptedLearner[] = [];
  const steps: DensityStep[] = [];
  try {
    for (const n of o.steps) {
      while (learners.length < n) {
        // Starts go three at a time: a class arriving, not a stampede the queue would absorb.
        const batch = await Promise.all(
          Array.from({ length: Math.min(3, n - learners.length) }, async () => {
            const l = new ScriptedLearner(terminalUrl, await runner.newLearner());
            await l.prompt();
            return l;
          }),
        );
        learners.push(...batch);
      }
      await sleep(3000);
      const echoes: number[] = [];
      const checks: number[] = [];
      const t0 = performance.now();
      const [m0, s0, b0] = [
        machineBusySeconds(),
        await sandboxSeconds(provider, LAB),
        benchSeconds(),
      ];
      await Promise.all(learners.map((l) => act(l, o.seconds, runEvery, echoes, checks)));
      const [m1, s1, b1] = [
        machineBusySeconds(),
        await sandboxSeconds(provider, LAB),
        benchSeconds(),
      ];
      const wall = (performance.now() - t0) / 1000;
      const sandboxes = await provider.list({ lab: LAB });
      let mem = 0;
      let anon = 0;
      for (const s of sandboxes) {
        const st = await provider.stats(s.id);
        mem += st.memoryBytes;
        anon += st.anonBytes;
      }
      const step: DensityStep = {
        learners: n,
        platformCores: (m1 - m0 - (s1 - s0) - (b1 - b0)) / wall,
        learnerCores: (s1 - s0) / wall,
        echo: distribution(echoes),
        check: distribution(checks),
        memMiB: mem / sandboxes.length / 1024 ** 2,
        anonMiB: anon / sandboxes.length / 1024 ** 2,
        within: false,
      };
      step.within = step.echo.p95 <= ECHO_LIMIT_MS && step.check.p95 <= CHECK_LIMIT_MS;
      steps.push(step);
      o.log(
        `  ${o.mode ?? 'default'} · run every ${runEvery} s · ${n} learners: cores platform ${step.platformCores.toFixed(2)}, learners ${step.learnerCores.toFixed(2)} · echo ${fmtDist(step.echo)} · check ${fmtDist(step.check)} · ${step.memMiB.toFixed(0)} MiB each · ${step.within ? 'within' : 'PAST'} the limits`,
      );
      if (!step.within) break;
    }
  } finally {
    for (const l of learners) l.close();
  }
  const held = steps.filter((s) => s.within).at(-1)?.learners ?? 0;
  const curve = [
    `| Checks (a \`docker run\` every ${runEvery} s) | Active learners | Cores busy: platform / learners' own | Echo p50 / p95 / p99 | Check (click → result) p50 / p95 / p99 | Memory per active sandbox (anonymous) | Within echo p95 ≤ 50 ms and check p95 ≤ 1 s |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...steps.map(
      (s) =>
        `| ${o.mode ?? 'default'} | ${s.learners} | ${s.platformCores.toFixed(2)} / ${s.learnerCores.toFixed(2)} | ${fmtDist(s.echo)} | ${fmtDist(s.check)} | ${s.memMiB.toFixed(0)} MiB (${s.anonMiB.toFixed(0)} MiB) | ${s.within ? 'yes' : 'no'} |`,
    ),
  ].join('\n');
  const last = steps.at(-1);
  const rows: BenchRow[] = [
    {
      figure: `Active learners held, checks ${o.mode ?? 'default'}, a \`docker run\` every ${runEvery} s (steps of ${o.steps.join(', ')}; ${o.seconds} s each)`,
      slipway: `${held}${last && !last.within ? ` (at ${last.learners}: echo p95 ${fmtMs(last.echo.p95)}, check p95 ${fmtMs(last.check.p95)})` : ''}`,
      baseline: 'limits: echo p95 ≤ 50 ms, check p95 ≤ 1 s',
      budget: `≥ 25 ${held >= 25 ? '✅' : '❌'}`,
    },
  ];
  return { steps, rows, curve };
}
