/**
 * Slipway's figures, each beside a baseline measured in the same run on the same sandbox:
 *   - Start -> usable prompt (cold), through the platform (HTTP + WebSocket), N times
 *   - keystroke echo p50/p99: platform WebSocket vs dockerode exec vs raw `docker exec -it`
 *   - one check's latency vs a bare `true` exec
 *   - reconnect (page reload) -> prompt, and Start -> prompt from the warm pool, vs a raw
 *     `docker exec -it bash` to the prompt
 *   - memory of an idle sandbox (lab images loaded, nothing running inside)
 * Prints a table; copy it into BENCHMARKS.md. Never fails on a number.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckRunner } from '../lab-runner/src/checks/check-runner.ts';
import { loadConfig } from '../lab-runner/src/config.ts';
import { silentLogger } from '../lab-runner/src/errors/log.ts';
import { loadCourseImages } from '../lab-runner/src/labs/course-images.ts';
import { loadLabs } from '../lab-runner/src/labs/load-labs.ts';
import { startPlatform } from '../lab-runner/src/main.ts';
import { DockerSandboxProvider } from '../lab-runner/src/sandbox/docker/docker-provider.ts';
import { LabClient } from '../lab-runner/test/integration/ws-client.ts';

const root = join(import.meta.dirname, '..');
const instance = `bench-${randomBytes(3).toString('hex')}`;
const dataDir = mkdtempSync(join(tmpdir(), 'slipway-bench-'));
const config = loadConfig(
  {
    ...process.env,
    SLIPWAY_PORT: '0',
    SLIPWAY_DATA_DIR: dataDir,
    SLIPWAY_INSTANCE: instance,
    // Cold starts first, on a quiet host; the warm pool is measured on its own below.
    SLIPWAY_WARM_POOL: '0',
  },
  root,
);
const provider = new DockerSandboxProvider({
  socketPath: config.dockerSocket,
  instance,
  mirrorContainer: config.mirrorContainer,
});
const LAB = 'first-containers';
const RUNS = Number(process.env.BENCH_STARTS ?? 3);
const KEYS = Number(process.env.BENCH_KEYS ?? 200);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const rows: Array<[string, string, string]> = [];
const row = (what: string, slipway: string, baseline: string) => {
  rows.push([what, slipway, baseline]);
  console.log(`  ${what}: ${slipway}  |  ${baseline}`);
};

/** Types one character at a time into `write` and times until `screen()` shows it echoed. */
async function echoLatencies(write: (s: string) => void, screen: () => string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < KEYS; i++) {
    const ch = 'abcdefghijklmnopqrstuvwxyz'[i % 26]!;
    const before = screen().length;
    const t0 = performance.now();
    write(ch);
    while (!screen().slice(before).includes(ch)) await new Promise((r) => setImmediate(r));
    out.push(performance.now() - t0);
    if (i % 40 === 39) write('\u0015'); // Ctrl-U: keep the line short
  }
  return out;
}

/** Start -> prompt for new learners while the pool keeps one ready sandbox of the lab. */
async function warmStarts(): Promise<number[]> {
  let ready = 0;
  const logger = {
    ...silentLogger,
    info: (msg: string) => {
      if (msg === 'warm pool sandbox ready') ready++;
    },
  };
  const warmDir = mkdtempSync(join(tmpdir(), 'slipway-bench-warm-'));
  const platform = await startPlatform(
    loadConfig(
      {
        ...process.env,
        SLIPWAY_PORT: '0',
        SLIPWAY_DATA_DIR: warmDir,
        SLIPWAY_INSTANCE: instance,
        SLIPWAY_WARM_POOL: `${LAB}=1`,
      },
      root,
    ),
    logger,
  );
  const out: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      while (ready < i + 1) await new Promise((r) => setTimeout(r, 100));
      const cookie = (await fetch(`${platform.url}/api/labs/${LAB}`)).headers
        .get('set-cookie')!
        .split(';')[0]!;
      const url = `${platform.url.replace('http', 'ws')}/api/labs/${LAB}/terminal?cols=120&rows=30`;
      const t0 = performance.now();
      const c = new LabClient(url, { cookie });
      await c.waitForScreen('learner@', 60_000);
      out.push(performance.now() - t0);
      c.close();
    }
  } finally {
    await platform.close();
    for (const s of await provider.list({})) await provider.destroy(s.id);
    rmSync(warmDir, { recursive: true, force: true });
  }
  return out;
}

async function main() {
  const platform = await startPlatform(config, silentLogger);
  const cookie = (await fetch(`${platform.url}/api/labs/${LAB}`)).headers
    .get('set-cookie')!
    .split(';')[0]!;
  const wsUrl = `${platform.url.replace('http', 'ws')}/api/labs/${LAB}/terminal?cols=120&rows=30`;
  console.log(`Slipway bench (instance ${instance})`);

  // 1. Start -> usable prompt, cold (a fresh sandbox each time).
  const starts: number[] = [];
  const phaseTimes = new Map<string, number[]>();
  let client: LabClient | undefined;
  for (let i = 0; i < RUNS; i++) {
    await fetch(`${platform.url}/api/labs/${LAB}/reset`, { method: 'POST', headers: { cookie } });
    client?.close();
    const t0 = performance.now();
    client = new LabClient(wsUrl, { cookie });
    let last = t0;
    let lastPhase = 'connect';
    const c = client;
    c.ws.on('message', (d) => {
      const m = JSON.parse(d.toString());
      if (m.type !== 'status') return;
      const now = performance.now();
      phaseTimes.set(lastPhase, [...(phaseTimes.get(lastPhase) ?? []), now - last]);
      last = now;
      lastPhase = m.phase;
    });
    await client.waitForScreen('learner@', 120_000);
    const now = performance.now();
    phaseTimes.set('ready -> prompt', [...(phaseTimes.get('ready -> prompt') ?? []), now - last]);
    starts.push(now - t0);
  }
  const [sandbox] = await provider.list({ lab: LAB });
  const labs = loadLabs(config.labsDir, loadCourseImages(config.imagesDir));
  const lab = labs.labs.get(LAB)!;
  const rawRun = performance.now();
  const r = await provider.exec(sandbox!.id, { cmd: ['docker', 'run', '--rm', 'debian', 'true'] });
  const innerRun = performance.now() - rawRun;
  row(
    `Start -> prompt, cold (${RUNS} runs, lab with 3 images)`,
    `median ${ms(pct(starts, 50))}, max ${ms(Math.max(...starts))}`,
    `inner \`docker run --rm debian true\`: ${ms(innerRun)} (exit ${r.exitCode})`,
  );

  const breakdown = [...phaseTimes]
    .filter(([p]) => p !== 'ready')
    .map(([p, xs]) => `${p} ${ms(pct(xs, 50))}`)
    .join(', ');
  row('  of which (median per phase)', breakdown, '');

  // 2. Keystroke echo.
  await new Promise((r2) => setTimeout(r2, 1500));
  const viaWs = await echoLatencies(
    (s) => client!.type(s),
    () => client!.screen,
  );
  await using term = await provider.openTerminal(sandbox!.id, {
    cmd: ['bash', '-l'],
    cols: 120,
    rows: 30,
  });
  let direct = '';
  term.stream.on('data', (d: Buffer) => {
    direct += d.toString();
  });
  await new Promise((r2) => setTimeout(r2, 1000));
  const viaExec = await echoLatencies(
    (s) => term.stream.write(s),
    () => direct,
  );
  const raw = spawn(
    'script',
    [
      '-qfc',
      `docker -H unix://${config.dockerSocket} exec -it ${sandbox!.id} bash -l`,
      '/dev/null',
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  let rawScreen = '';
  raw.stdout.on('data', (d: Buffer) => {
    rawScreen += d.toString();
  });
  await new Promise((r2) => setTimeout(r2, 1500));
  const viaRaw = await echoLatencies(
    (s) => raw.stdin.write(s),
    () => rawScreen,
  );
  raw.kill('SIGKILL');
  row(
    `Keystroke echo p50 / p99 (${KEYS} keys)`,
    `platform WebSocket: ${ms(pct(viaWs, 50))} / ${ms(pct(viaWs, 99))}`,
    `dockerode exec: ${ms(pct(viaExec, 50))} / ${ms(pct(viaExec, 99))}; raw \`docker exec -it\`: ${ms(pct(viaRaw, 50))} / ${ms(pct(viaRaw, 99))}`,
  );

  // 3. One check.
  const checks = new CheckRunner(provider, { maxOutputBytes: config.checkOutputBytes });
  const checkTimes: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 20; i++) {
    let t0 = performance.now();
    await checks.run(sandbox!.id, lab.tasks[0]!);
    checkTimes.push(performance.now() - t0);
    t0 = performance.now();
    await provider.exec(sandbox!.id, { cmd: ['true'] });
    bare.push(performance.now() - t0);
  }
  row(
    'One check (run-web, 20 runs) p50 / p99',
    `${ms(pct(checkTimes, 50))} / ${ms(pct(checkTimes, 99))}`,
    `bare exec \`true\`: ${ms(pct(bare, 50))} / ${ms(pct(bare, 99))}`,
  );

  // 4. Reconnect: a reload of the page, to the same shell with its screen restored.
  const reconnects: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    client?.close();
    const t0 = performance.now();
    client = new LabClient(wsUrl, { cookie });
    await client.waitForScreen('learner@', 60_000);
    reconnects.push(performance.now() - t0);
  }
  const rawShell: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const p = spawn(
      'script',
      [
        '-qfc',
        `docker -H unix://${config.dockerSocket} exec -it ${sandbox!.id} bash -l`,
        '/dev/null',
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let out = '';
    await new Promise<void>((resolve) =>
      p.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('learner@')) resolve();
      }),
    );
    rawShell.push(performance.now() - t0);
    p.kill('SIGKILL');
  }
  row(
    `Reconnect (page reload) -> prompt (${RUNS} runs)`,
    `median ${ms(pct(reconnects, 50))}`,
    `raw \`docker exec -it bash -l\` -> prompt: median ${ms(pct(rawShell, 50))}`,
  );

  // 5. Idle memory.
  client?.close();
  await new Promise((r2) => setTimeout(r2, 5000));
  const stats = await provider.stats(sandbox!.id);
  row(
    'Idle sandbox memory (inner engine up, images loaded)',
    `${(stats.memoryBytes / 1024 ** 2).toFixed(0)} MiB, ${stats.pids} processes`,
    'limit 768 MiB',
  );

  await platform.close();
  for (const s of await provider.list({})) await provider.destroy(s.id);

  // 6. Start -> prompt from the warm pool: a ready sandbox is handed out on Start.
  const warm = await warmStarts();
  row(
    `Start -> prompt, warm pool (${RUNS} runs, new learner each)`,
    `median ${ms(pct(warm, 50))}, max ${ms(Math.max(...warm))}`,
    `raw \`docker exec -it bash -l\` -> prompt: median ${ms(pct(rawShell, 50))}`,
  );
  rmSync(dataDir, { recursive: true, force: true });

  console.log('\n| Figure | Slipway | Baseline (same run) |\n| --- | --- | --- |');
  for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`);
}

await main();
